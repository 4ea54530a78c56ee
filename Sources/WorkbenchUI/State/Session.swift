import Foundation
import RerankCore

/// What the workbench restores on the next start: dataset, prompt (with unsaved edits),
/// settings and focus. Never holds a key: settings carry none.
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
