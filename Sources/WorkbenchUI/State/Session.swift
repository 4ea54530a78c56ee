import Foundation
import RerankCore

/// What the workbench restores on the next start: dataset, prompt (with unsaved edits and the
/// version it was loaded from), unsaved label edits, settings and focus. Never holds a key:
/// settings carry none.
public struct Session: Codable, Sendable, Equatable {
    public var datasetPath: String?
    public var promptPath: String?
    public var promptName: String
    public var promptDescription: String
    public var promptText: String
    /// The prompt text as last saved to its file, so "unsaved edits" survive a restart.
    public var savedPromptText: String
    public var settings: RunSettings
    public var focus: Focus
    public var querySort: QuerySort
    /// Label edits not saved to the dataset file, as changes from the file's labels (nil: none;
    /// a session written before label edits has no such key).
    public var labelEdits: [LabelChange]?
    /// The prompt history version the editor's text came from (the next save's `derived_from`).
    public var promptLineageName: String?
    public var promptLineageSHA256: String?

    public init(state: WorkbenchState) {
        datasetPath = state.datasetPath
        promptPath = state.prompt.path
        promptName = state.prompt.name
        promptDescription = state.prompt.description
        promptText = state.editor.text
        savedPromptText = state.editor.savedText
        settings = state.settings
        focus = state.focus
        querySort = state.querySort
        let edits = state.labels.isDirty ? state.labels.unsavedChanges : state.labelsToRestore.changes
        labelEdits = edits.isEmpty ? nil : edits
        promptLineageName = state.promptLineage?.parentName
        promptLineageSHA256 = state.promptLineage?.parentSHA256
    }

    /// Applies the session to a fresh state.
    public func apply(to state: inout WorkbenchState) {
        state.prompt = ScoringPrompt(name: promptName, description: promptDescription, mode: settings.mode, parser: settings.parser,
                                     text: savedPromptText, path: promptPath)
        state.editor = TextEditor(text: savedPromptText)
        if promptText != savedPromptText { state.editor.replaceAll(promptText) }
        state.settings = settings
        state.focus = focus
        state.querySort = querySort
        state.datasetPath = datasetPath
        state.labelsToRestore = PendingLabelEdits(path: datasetPath, changes: labelEdits ?? [])
        if let name = promptLineageName, let sha = promptLineageSHA256 {
            state.promptLineage = PromptCard.Lineage(parentName: name, parentSHA256: sha, source: nil)
        }
    }

    public static func load(from path: String) -> Session? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(Session.self, from: data)
    }

    public func save(to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
