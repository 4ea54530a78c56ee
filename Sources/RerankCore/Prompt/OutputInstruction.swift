import Foundation

/// Whether a prompt tells the model to answer in a form the chosen parser reads: a prompt that
/// never asks for a number (or a `Score:` label, or JSON, or yes/no) makes every reply a 0.5
/// fallback, and scoring it would waste every call. Hand-written prompts get this as a warning
/// from the reader's judgement; prompts a model wrote are checked before any call is made.
public enum OutputInstruction {
    /// The problem with `text` for `parser`, nil when the instruction is there.
    public static func problem(_ text: String, parser: ScoreParserKind) -> PromptProblem? {
        let lower = text.lowercased()
        func mentions(_ words: [String]) -> Bool { words.contains { lower.contains($0) } }
        let asksForNumber = mentions(["score", "number", "numeric", "rating", "rate ", "0.0", "0 to", "1 to", "between 0"])
        switch parser {
        case .mem0, .lastNumber:
            if asksForNumber { return nil }
            return PromptProblem(line: 0, column: 0, severity: .error,
                                 message: "no output instruction the \(parser.rawValue) parser can read: ask for a numerical score (for example \"Respond with only a score between 0.0 and 1.0\")")
        case .labeled:
            if lower.contains("score:") { return nil }
            return PromptProblem(line: 0, column: 0, severity: .error,
                                 message: "no output instruction the labeled parser can read: ask for a \"Score:\" line with the number")
        case .json:
            if lower.contains("json"), lower.contains("score") { return nil }
            return PromptProblem(line: 0, column: 0, severity: .error,
                                 message: "no output instruction the json parser can read: ask for a JSON object with a \"score\" field")
        case .logprob:
            if asksForNumber || (lower.contains("yes") && lower.contains("no")) { return nil }
            return PromptProblem(line: 0, column: 0, severity: .error,
                                 message: "no output instruction the logprob parser can read: ask for yes or no, or for a number")
        }
    }
}
