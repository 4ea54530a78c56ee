import Foundation

/// The request that asks the proposer for one edited prompt: what the scorer does with a
/// prompt, the strict reply format, the current prompt with its dev score, and its failures.
/// Built from dev data only (the tuner never hands it a test query).
public struct ProposerRequest: Sendable {
    public var prompt: String
    public var mode: PromptMode
    public var parser: ScoreParserKind
    public var metric: MetricName
    /// The current prompt's mean metric on the dev split.
    public var devMean: Double
    public var failures: FailureExamples
    public var round: Int
    /// Which proposal of the round this is (0-based), of `of`.
    public var variant: Int
    public var of: Int

    public init(prompt: String, mode: PromptMode, parser: ScoreParserKind, metric: MetricName, devMean: Double,
                failures: FailureExamples, round: Int, variant: Int, of: Int) {
        self.prompt = prompt
        self.mode = mode
        self.parser = parser
        self.metric = metric
        self.devMean = devMean
        self.failures = failures
        self.round = round
        self.variant = variant
        self.of = of
    }

    /// The instructions: the job, how the prompt is used, and the one reply format accepted.
    public var system: String {
        let use = mode == .system
            ? "The scoring prompt is sent as the system message; the user message is \"Query: <query>\\n\\nDocument: <memory>\". Do not write {query} or {document} in it."
            : "The scoring prompt is a template: {query} and {document} are replaced by the query and the memory, and the result is sent as one user message. Keep both placeholders, and write any other brace doubled ({{ or }})."
        return """
        You improve the scoring prompt of an LLM reranker. For each (query, memory) pair the model scores how relevant the memory is to the query; memories are then ranked by score and the ranking is measured with \(metric) against human labels (0 = not relevant, higher = more relevant).
        \(use)
        The reply is read by the \(parser.rawValue) parser (\(parser.summary)), so the new prompt must keep an instruction to answer in that form.

        Reply in exactly this format, with nothing before, between or after the sections:
        \(ProposalParser.critiqueOpen)
        What the failures have in common, and what the prompt should say differently.
        \(ProposalParser.critiqueClose)
        \(ProposalParser.promptOpen)
        The complete new scoring prompt.
        \(ProposalParser.promptClose)
        """
    }

    /// The current prompt, its score, its failures, and which proposal to write.
    public var user: String {
        var lines = ["Current scoring prompt (mean \(metric) on the dev queries: \(devMean.formatted(decimals: 3))):",
                     ProposalParser.promptOpen, prompt, ProposalParser.promptClose, ""]
        if failures.failures.isEmpty {
            lines.append("No dev query is ranked worse than its best possible order. Propose a clearer or more robust wording.")
        } else {
            lines.append("Queries where the ranking loses most against the labels, with the worst misranked pairs:")
            for (i, f) in failures.failures.enumerated() {
                lines.append("")
                lines.append("\(i + 1). Query: \(JSONText.quote(f.query)) (\(metric) \(f.value.formatted(decimals: 3)); best possible \(f.ceiling.formatted(decimals: 3)))")
                for p in f.pairs {
                    lines.append("   - ranked \(p.relevant.rank), label \(p.relevant.label), score \(Self.score(p.relevant.score)): \(JSONText.quote(p.relevant.text))")
                    lines.append("     ranked above it: \(p.ranked.rank), label \(p.ranked.label), score \(Self.score(p.ranked.score)): \(JSONText.quote(p.ranked.text))")
                }
            }
        }
        lines.append("")
        lines.append("This is proposal \(variant + 1) of \(of) in round \(round); try an idea the other proposals are unlikely to try.")
        return lines.joined(separator: "\n")
    }

    static func score(_ s: Double?) -> String { s.map { $0.formatted(decimals: 2) } ?? "none" }

    /// The chat request for `model`.
    public func chatRequest(model: String, temperature: Double, maxTokens: Int) -> ChatRequest {
        ChatRequest(model: model, messages: [.system(system), .user(user)], temperature: temperature, maxTokens: maxTokens,
                    sampleIndex: variant)
    }
}
