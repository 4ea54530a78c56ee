/// The score parsers users can choose (the parser setting).
public enum ScoreParserKind: String, Sendable, CaseIterable, Codable {
    /// mem0's own extraction, reproduced exactly (first decimal, else first integer, clamp, 0.5).
    case mem0
    /// The last number in the reply (chain-of-thought friendly), with scale handling.
    case lastNumber = "last-number"
    /// The number after the last `Score:` / `Final Score:` label.
    case labeled
    /// A JSON object with a `score` field, anywhere in the reply.
    case json
    /// Expected score (or P(yes)) from token log-probabilities.
    case logprob

    public var summary: String {
        switch self {
        case .mem0: return "mem0's rule: first decimal, else first integer, clamp to 0..1, 0.5 if none"
        case .lastNumber: return "last number in the reply; understands 8/10, 85%, 'out of 10'"
        case .labeled: return "number after the last 'Score:' or 'Final Score:' label"
        case .json: return "{\"score\": x} anywhere in the reply"
        case .logprob: return "expected score over score tokens, or P(yes), from logprobs"
        }
    }
}

/// Reads a score from a reply.
public protocol ScoreParser: Sendable {
    func parse(_ reply: ChatReply) -> ParsedScore
}

extension ScoreParserKind {
    /// The parser for this kind with the given scale (mem0 ignores the scale, as mem0 does).
    public func makeParser(scale: ScoreScale = .unit) -> any ScoreParser {
        switch self {
        case .mem0: return Mem0ScoreParser()
        case .lastNumber: return LastNumberScoreParser(scale: scale)
        case .labeled: return LabeledScoreParser(scale: scale)
        case .json: return JSONScoreParser(scale: scale)
        case .logprob: return LogprobScoreParser(scale: scale)
        }
    }
}

extension ScoreParser {
    /// Shared handling of empty replies, which every parser scores 0.5 like mem0.
    func emptyCheck(_ reply: ChatReply) -> ParsedScore? {
        guard let text = reply.text else { return .fallback(.empty) }
        // A reply that starts with a visible ASCII character (most: "0.85") is not blank; only
        // the rest are read character by character (a re-parse checks every reply).
        if let first = text.utf8.first, first > 0x20, first < 0x7F { return nil }
        return text.allSatisfy({ $0.isWhitespace }) ? .fallback(.empty) : nil
    }
}
