/// How a reply's text became a score.
public enum ParseOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// A number was found and was already in range.
    case parsed
    /// A number was found outside 0...1 (after scaling) and was clamped.
    case clamped
    /// The reply had text but no usable number: scored 0.5, as mem0 does.
    case fallback
    /// The reply was empty or null: scored 0.5, as mem0 does.
    case empty

    /// The one name of each outcome, used by every output (tables, the workbench's flags and
    /// counts) so the same thing is never called two things.
    public var label: String {
        switch self {
        case .parsed: return "parsed"
        case .clamped: return "clamped"
        case .fallback: return "no number"
        case .empty: return "empty"
        }
    }
}

/// A score read from a reply, with how it was read.
public struct ParsedScore: Sendable, Hashable, Codable {
    /// The score in 0...1 used for ranking.
    public var value: Double
    public var outcome: ParseOutcome
    /// The number as it appeared before scaling and clamping, when there was one.
    public var rawNumber: Double?

    public init(value: Double, outcome: ParseOutcome, rawNumber: Double? = nil) {
        self.value = value
        self.outcome = outcome
        self.rawNumber = rawNumber
    }

    /// mem0's neutral score for replies it cannot read.
    public static let neutral = 0.5

    static func fallback(_ outcome: ParseOutcome = .fallback) -> ParsedScore {
        ParsedScore(value: neutral, outcome: outcome)
    }

    /// Clamps `value` into 0...1, recording whether that changed it.
    static func clamping(_ value: Double, raw: Double) -> ParsedScore {
        if value.isNaN { return fallback() }
        let clamped = max(0.0, min(1.0, value))
        // Normalise -0.0 so it prints as 0.
        let v = clamped == 0 ? 0.0 : clamped
        return ParsedScore(value: v, outcome: v == value ? .parsed : .clamped, rawNumber: raw)
    }
}
