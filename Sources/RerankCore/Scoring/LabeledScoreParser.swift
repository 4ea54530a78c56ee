/// Scores by the number after the last `Score:` label (`Final Score:`, `**Score:** 7/10`,
/// `relevance score = 0.8` all count). Without a label the reply falls back to 0.5 and is flagged,
/// because a prompt that asks for a label and does not get one is exactly what a user must see.
public struct LabeledScoreParser: ScoreParser {
    public var scale: ScoreScale

    public init(scale: ScoreScale = .unit) {
        self.scale = scale
    }

    public func parse(_ reply: ChatReply) -> ParsedScore {
        if let empty = emptyCheck(reply) { return empty }
        let text = reply.text!
        let s = Array(text.unicodeScalars)
        let numbers = NumberScanner.scan(text)
        var best: ParsedScore?
        var i = 0
        while i < s.count {
            guard let afterLabel = NumberScanner.match(s, at: i, word: "score"),
                  i == 0 || !NumberScanner.isWordScalar(s[i - 1]) else { i += 1; continue }
            var j = afterLabel
            // Allow markdown emphasis and spaces around the separator.
            while j < s.count, s[j] == "*" || s[j] == "_" || s[j] == " " { j += 1 }
            guard j < s.count, s[j] == ":" || s[j] == "=" else { i = afterLabel; continue }
            j += 1
            while j < s.count, s[j] == "*" || s[j] == "_" || s[j] == " " || s[j] == "\t" { j += 1 }
            if let found = numbers.first(where: { $0.range.lowerBound == j }) {
                best = NumberScanner.score(found, scale: scale)
            }
            i = j
        }
        return best ?? .fallback()
    }
}
