/// mem0's score extraction, reproduced exactly (`shared/spec/mem0-reranker.md`):
/// all matches of `-?\d+\.\d+`, else all matches of `-?\d+`; the FIRST one is parsed and clamped
/// to [0, 1]; no match, or empty / null content, gives 0.5.
///
/// `\d` in Python's `re` matches any Unicode decimal digit and `float()` accepts them, so this
/// scanner does too.
public struct Mem0ScoreParser: ScoreParser {
    public init() {}

    public func parse(_ reply: ChatReply) -> ParsedScore {
        guard let text = reply.text, !text.isEmpty else { return .fallback(.empty) }
        let scalars = Array(text.unicodeScalars)
        guard let literal = Self.firstDecimal(scalars) ?? Self.firstInteger(scalars) else {
            return text.allSatisfy({ $0.isWhitespace }) ? .fallback(.empty) : .fallback()
        }
        guard let value = Double(literal) else { return .fallback() }
        return .clamping(value, raw: value)
    }

    static func isDigit(_ s: Unicode.Scalar) -> Bool {
        // ASCII answered directly: the property lookup was most of parsing a "0.4463" reply.
        if s.isASCII { return s.value >= 0x30 && s.value <= 0x39 }
        return s.properties.generalCategory == .decimalNumber
    }

    /// The ASCII form of a decimal digit of any script.
    static func ascii(_ s: Unicode.Scalar) -> Character {
        if s.isASCII { return Character(s) }
        if let v = s.properties.numericValue, v >= 0, v <= 9 {
            return Character(String(Int(v)))
        }
        return Character(s)
    }

    /// The leftmost match of `-?\d+\.\d+`, as ASCII text.
    static func firstDecimal(_ s: [Unicode.Scalar]) -> String? {
        var i = 0
        while i < s.count {
            var start = i
            var negative = false
            if s[i] == "-" {
                negative = true
                start = i + 1
            }
            var j = start
            while j < s.count, isDigit(s[j]) { j += 1 }
            if j > start, j + 1 < s.count, s[j] == ".", isDigit(s[j + 1]) {
                var k = j + 1
                while k < s.count, isDigit(s[k]) { k += 1 }
                var out = negative ? "-" : ""
                for x in s[start..<j] { out.append(ascii(x)) }
                out.append(".")
                for x in s[(j + 1)..<k] { out.append(ascii(x)) }
                return out
            }
            i += 1
        }
        return nil
    }

    /// The leftmost match of `-?\d+`, as ASCII text.
    static func firstInteger(_ s: [Unicode.Scalar]) -> String? {
        var i = 0
        while i < s.count {
            let negative = s[i] == "-"
            let start = negative ? i + 1 : i
            var j = start
            while j < s.count, isDigit(s[j]) { j += 1 }
            if j > start {
                var out = negative ? "-" : ""
                for x in s[start..<j] { out.append(ascii(x)) }
                return out
            }
            i += 1
        }
        return nil
    }
}
