import Foundation

/// A prompt saved with what it achieved: front matter (mode, parser, model, dataset and its
/// hash, metrics, cost, date) and the prompt text. `ScoringPrompt.load` reads it back.
public enum PromptCard {
    /// Where a saved prompt came from: the version it was edited from, and the original
    /// source of its text (kept from the parent's `source:`).
    public struct Lineage: Sendable, Equatable {
        public var parentName: String
        public var parentSHA256: String
        public var source: String?

        public init(parentName: String, parentSHA256: String, source: String?) {
            self.parentName = parentName
            self.parentSHA256 = parentSHA256
            self.source = source
        }
    }

    /// `statistics`: what the front end knows beyond the report (the store's test-look count, a
    /// comparison it made); without it the card states the report's own (see `ExportStatistics`).
    public static func text(name: String, description: String, prompt: String, settings: RunSettings,
                            report: RunReport?, lineage: Lineage? = nil, statistics: ExportStatistics? = nil,
                            extra: [(key: String, value: String)] = [],
                            date: Date = Date()) -> String {
        // JSON string literals are valid YAML scalars; the inert form also escapes what libyaml
        // rejects raw (DEL, C1) or folds (U+2028), so every value reads back unchanged.
        func yaml(_ s: String) -> String { JSONText.inertQuote(s) }
        var lines = ["---", "name: \(yaml(name))", "description: \(yaml(description))",
                     "mode: \(settings.mode.rawValue)", "parser: \(settings.parser.rawValue)"]
        if settings.parser != .mem0 { lines.append("scale: \(settings.scale.rawValue)") }
        if let lineage {
            if let source = lineage.source { lines.append("source: \(yaml(source))") }
            lines.append("derived_from: \(yaml(lineage.parentName))")
            lines.append("derived_from_sha256: \(lineage.parentSHA256)")
        }
        lines.append("provider: \(yaml(settings.provider))")
        lines.append("model: \(yaml(settings.model))")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        lines.append("date: \(formatter.string(from: date))")
        if let report {
            lines.append("dataset: \(yaml(report.datasetPath))")
            lines.append("dataset_sha256: \(report.datasetHash)")
            lines.append("queries: \(report.queries.count)")
            // Without cutoffs the primary metric is plain NDCG: list it once (a YAML key twice makes the card unreadable).
            let names: [MetricName] = [report.settings.metrics.primaryMetric, .ndcg, .map, .mrr]
            for (i, name) in names.enumerated() where !names.prefix(i).contains(name) {
                if let r = report.rerankedMean[name], let b = report.baselineMean[name] {
                    let (low, high) = confidenceInterval(report, name)
                    lines.append("\(name.description.replacingOccurrences(of: "@", with: "_at_")): \(yaml("\(r.formatted(decimals: 4)) (95% CI [\(low.formatted(decimals: 4)), \(high.formatted(decimals: 4))]; first-stage \(b.formatted(decimals: 4)))"))")
                }
            }
            if let cost = report.cost { lines.append("cost_usd: \(cost.formatted(decimals: 4))") }
            lines += statisticsLines(statistics ?? ExportStatistics(report: report), yaml: yaml)
        }
        // Keys of the card's maker (a tune's number and verdict), read back as extra front matter.
        for (key, value) in extra { lines.append("\(key): \(yaml(value))") }
        lines.append("---")
        return lines.joined(separator: "\n") + "\n" + prompt + "\n"
    }

    /// What the numbers above can be trusted for: the split they come from, the looks at the test
    /// split, the correction and the detectable effect, and the sample stability.
    static func statisticsLines(_ st: ExportStatistics, yaml: (String) -> String) -> [String] {
        var lines = ["split: \(yaml(st.split?.rawValue ?? "none"))"]
        if let text = st.testLooksText {
            if let looks = st.testLooks { lines.append("test_looks: \(looks)") }
            lines.append("test_looks_note: \(yaml(text))")
        }
        lines.append("correction: \(yaml(st.correctionText))")
        lines.append("detectable_effect: \(yaml(st.detectableText))")
        if let text = st.stabilityText { lines.append("sample_stability: \(yaml(text))") }
        return lines
    }

    /// Bootstrap 95% confidence interval of the mean reranked metric over queries (seed 42,
    /// 10,000 resamples, as `compare`).
    static func confidenceInterval(_ report: RunReport, _ name: MetricName) -> (Double, Double) {
        let values = report.queries.compactMap { $0.reranked[name] }
        guard !values.isEmpty else { return (0, 0) }
        // The mean of values minus zero is the mean of values: the paired bootstrap gives its CI.
        let c = PairedComparison(metric: name, queryIDs: values.indices.map(String.init), a: values.map { _ in 0 }, b: values)
        return (c.bootstrapLow, c.bootstrapHigh)
    }

    /// A file name from a prompt name: lower case, dashes, no path characters.
    public static func fileName(_ name: String) -> String {
        let cleaned = name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let collapsed = String(cleaned).split(separator: "-").joined(separator: "-")
        return (collapsed.isEmpty ? "prompt" : collapsed) + ".txt"
    }
}
