import Foundation
import RerankCore

extension WorkbenchState {
    /// Names a run by what distinguishes it: provider, model, prompt (and its hash) and the
    /// settings that change scores or ranks.
    public var runLabel: String {
        let s = settings
        var parts = ["\(s.provider) \(s.model)", "prompt \(currentPrompt.name) #\(currentPrompt.textHash.prefix(6))",
                     "\(s.mode.rawValue) mode", "parser \(s.parser.rawValue)"]
        if s.ties != .stable { parts.append("ties \(s.ties.rawValue)") }
        if let k = s.topK { parts.append("top_k \(k)") }
        if s.samples > 1 { parts.append("\(s.samples) samples") }
        if let split = s.split { parts.append(split.description) }
        return parts.joined(separator: ", ")
    }

    /// The settings behind the report on screen: the run's own for what was sent (provider,
    /// model, mode, temperature...), the current ones for what re-scores stored replies without
    /// calls (parser, scale, ties, top_k, cutoffs, failure policy, aggregate): the rows of
    /// `SettingsTable` marked `rescoresWithoutCalls`, plus the aggregate the pane does not edit.
    public var reportSettings: RunSettings {
        guard var s = runSettings else { return settings }
        let now = settings
        s.parser = now.parser
        s.scale = now.scale
        s.ties = now.ties
        s.topK = now.topK
        s.metrics = now.metrics
        s.failurePolicy = now.failurePolicy
        s.aggregate = now.aggregate
        return s
    }

    /// The dataset's file name without its folder, for titles.
    public var datasetFileName: String? { datasetPath.map { ($0 as NSString).lastPathComponent } }

    /// The label of the run on screen: its own prompt, hash and settings, not the editor's.
    public var shownRunLabel: String {
        var shown = self
        if let p = runPrompt { shown.prompt = p; shown.editor = TextEditor(text: p.text) }
        shown.settings = reportSettings
        var label = shown.runLabel
        if let d = report { label += ", dataset \((d.datasetPath as NSString).lastPathComponent) #\(d.datasetHash.prefix(6))" }
        if let partial = partialLabel { label += ", \(partial)" }
        return label
    }
}
