import Foundation
import RerankCore

/// Writing files: the prompt card (name, lineage and honest metrics), the mem0 config export,
/// and what the shell answers about each write.
enum PromptFileReducer {
    /// Ctrl-S: asks for the name, prefilled with the current one; a reference prompt suggests a
    /// new one, since saving over it is refused.
    static func askForName(_ state: inout WorkbenchState) -> [Effect] {
        let isReference = state.prompt.extraFrontMatter["reference"] == "true"
        state.modals.append(.input(.promptName, text: isReference ? state.prompt.name + "-tuned" : state.prompt.name))
        return []
    }

    /// The name field was accepted.
    static func save(_ state: inout WorkbenchState, typedName text: String) -> [Effect] {
        let name = text.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else {
            // Keep the dialog open, with the reason, instead of losing it.
            state.modals.append(.input(.promptName, text: text))
            state.setStatus("a prompt needs a name: type one, or Esc to cancel", error: true)
            return []
        }
        return saveCard(&state, name: name)
    }

    /// Writes the prompt card. Metrics go in only from a complete LLM run of exactly this
    /// text (by hash), with the run's own dataset, provider and model; otherwise none.
    static func saveCard(_ state: inout WorkbenchState, name: String) -> [Effect] {
        let parent = state.prompt
        let text = state.editor.text
        let runMatches = state.runPrompt.map { Digest.sha256(text) == $0.textHash } ?? false
        let report = state.report
        let usable = runMatches && !state.results.isEmpty && report?.complete == true && report?.providerIgnoresPrompt == false
        let settings = usable ? state.reportSettings : state.settings
        let renamed = name != parent.name || parent.path == nil
        // The parent: the version loaded from the prompt history, else the prompt file's own.
        let lineage = state.promptLineage
            ?? PromptCard.Lineage(parentName: parent.name, parentSHA256: parent.textHash, source: parent.extraFrontMatter["source"])
        let description = renamed || parent.description.isEmpty || state.promptLineage != nil
            ? "Edited in RerankBench from \(lineage.parentName) (sha256 \(lineage.parentSHA256.prefix(12)))"
            : parent.description
        // The store's look count (read when the dataset loaded and after each test run) goes
        // with a card whose numbers cover test queries.
        let statistics = usable ? report.map { ExportStatistics(report: $0, testLooks: state.testLooks) } : nil
        let card = PromptCard.text(name: name, description: description, prompt: text, settings: settings,
                                   report: usable ? report : nil, lineage: lineage, statistics: statistics)
        state.pendingPromptName = name
        state.pendingPromptDescription = description
        if !usable && !state.results.isEmpty {
            state.setStatus("saving without metrics: the shown run " + (runMatches ? (state.providerIsBaseline ? "is the lexical baseline" : "is not complete") : "used different prompt text"))
        }
        return [.savePrompt(path: "\(state.promptsDirectory)/\(PromptCard.fileName(name))", contents: card, overwrite: false)]
    }

    /// x: a mem0 reranker config of the current provider, model and prompt.
    static func exportConfig(_ state: inout WorkbenchState) -> [Effect] {
        // A mem0 config runs an LLM: the offline baseline has no model to put in it.
        if state.providerIsBaseline {
            let message = "the lexical provider is the BM25 keyword baseline, not an LLM: a mem0 config from it would name model 'bm25', which mem0 cannot run. Pick an LLM provider in Settings (2), run, then export"
            state.modals.append(.message(title: "Nothing to export", body: message))
            state.setStatus("export refused: the baseline is not an LLM", error: true)
            return []
        }
        let name = PromptCard.fileName(state.currentPrompt.name).replacingOccurrences(of: ".txt", with: "")
        let path = "\(state.exportsDirectory)/mem0-reranker-\(name).json"
        return [.writeFile(path: path, contents: Mem0ConfigExporter.json(settings: state.settings, prompt: state.editor.text), what: "mem0 config")]
    }

    static func written(_ state: inout WorkbenchState, path: String, what: String) -> [Effect] {
        state.setStatus("\(what) written to \(path)")
        guard what == "prompt" else { return [.saveSession] }
        state.editor.markSaved()
        // The saved file is now the prompt being edited: its name, description and
        // lineage are the card's, and it is no longer a reference.
        if let name = state.pendingPromptName {
            let parent = state.prompt
            state.prompt.name = name
            state.prompt.description = state.pendingPromptDescription ?? parent.description
            state.prompt.extraFrontMatter["reference"] = nil
            state.prompt.extraFrontMatter["derived_from"] = state.promptLineage?.parentName ?? parent.name
        }
        // The file now holds the editor's text: the next save names it (and its hash) as the parent.
        state.prompt.text = state.editor.text
        state.promptLineage = nil
        state.pendingPromptName = nil
        state.pendingPromptDescription = nil
        state.prompt.path = path
        if state.quitAfterSave {
            state.wantsQuit = true
            return [.saveSession, .quit]
        }
        return [.saveSession]
    }

    static func writeFailed(_ state: inout WorkbenchState, _ message: String) -> [Effect] {
        state.modals.append(.message(title: "Cannot write the file", body: message))
        return []
    }

    /// A prompt file of that name exists: the save waits for the user's yes.
    static func fileExists(_ state: inout WorkbenchState, path: String, contents: String) -> [Effect] {
        state.modals.append(.confirm(.overwritePrompt(path: path, contents: contents)))
        return []
    }

    static func saveRefused(_ state: inout WorkbenchState, _ message: String) -> [Effect] {
        state.quitAfterSave = false
        state.modals.append(.message(title: "Not saved", body: message))
        state.setStatus(message, error: true)
        return []
    }
}
