import Foundation

/// Scores from token log-probabilities instead of the sampled text.
///
/// At the first generated position whose alternatives include `yes`/`no` tokens, the score is
/// P(yes) / (P(yes) + P(no)). Otherwise, at the first position whose alternatives include whole
/// numbers, the score is the probability-weighted mean of those numbers, mapped by the scale
/// (a 0-10 prompt is the natural fit). Replies without logprobs fall back to 0.5 and are flagged.
public struct LogprobScoreParser: ScoreParser {
    public var scale: ScoreScale

    public init(scale: ScoreScale = .unit) {
        self.scale = scale
    }

    public func parse(_ reply: ChatReply) -> ParsedScore {
        guard let positions = reply.logprobs, !positions.isEmpty else {
            if let empty = emptyCheck(reply) { return empty }
            return .fallback()
        }
        for position in positions {
            let options = position.top.isEmpty ? [TokenLogprob.Alternative(token: position.token, logprob: position.logprob)] : position.top
            var yes = 0.0, no = 0.0
            var numbers: [(Double, Double)] = []
            for option in options {
                let word = option.token.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
                let p = exp(option.logprob)
                if word == "yes" { yes += p }
                else if word == "no" { no += p }
                else if !word.isEmpty, word.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Double(word) {
                    numbers.append((v, p))
                }
            }
            if yes + no > 0 {
                return ParsedScore(value: yes / (yes + no), outcome: .parsed, rawNumber: yes / (yes + no))
            }
            if !numbers.isEmpty {
                let mass = numbers.reduce(0) { $0 + $1.1 }
                let expected = numbers.reduce(0) { $0 + $1.0 * $1.1 } / mass
                return .clamping(expected / scale.divisor, raw: expected)
            }
        }
        return .fallback()
    }
}
