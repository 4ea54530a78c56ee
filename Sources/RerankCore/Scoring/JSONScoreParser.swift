/// Scores by a JSON object with a `score` key found anywhere in the reply (code fences and
/// surrounding prose are fine). The last such object wins. A numeric string counts.
public struct JSONScoreParser: ScoreParser {
    public var scale: ScoreScale
    static let keys = ["score", "relevance_score", "relevance"]

    public init(scale: ScoreScale = .unit) {
        self.scale = scale
    }

    public func parse(_ reply: ChatReply) -> ParsedScore {
        if let empty = emptyCheck(reply) { return empty }
        let bytes = Array(reply.text!.utf8)
        var result: ParsedScore?
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "{"), let end = Self.matchingBrace(bytes, from: i) else { i += 1; continue }
            if let value = try? JSONParser.parse(Array(bytes[i...end])), let score = score(in: value) {
                result = score
                i = end + 1
            } else {
                i += 1
            }
        }
        return result ?? .fallback()
    }

    private func score(in value: JSONValue) -> ParsedScore? {
        for key in Self.keys {
            switch value[key] {
            case let .some(.number(d, _)) where d.isFinite:
                return .clamping(d / scale.divisor, raw: d)
            case let .some(.string(s)):
                if let f = NumberScanner.scan(s).first { return NumberScanner.score(f, scale: scale) }
            default:
                continue
            }
        }
        return nil
    }

    /// The index of the brace closing the object that opens at `start`, skipping strings.
    static func matchingBrace(_ b: [UInt8], from start: Int) -> Int? {
        var depth = 0
        var inString = false
        var i = start
        while i < b.count {
            let c = b[i]
            if inString {
                if c == UInt8(ascii: "\\") { i += 2; continue }
                if c == UInt8(ascii: "\"") { inString = false }
            } else if c == UInt8(ascii: "\"") {
                inString = true
            } else if c == UInt8(ascii: "{") {
                depth += 1
            } else if c == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { return i }
            }
            i += 1
        }
        return nil
    }
}
