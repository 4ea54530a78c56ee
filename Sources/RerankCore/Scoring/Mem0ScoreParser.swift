import Foundation

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
        if let value = Self.asciiNumber(text) { return .clamping(value, raw: value) }
        let scalars = Array(text.unicodeScalars)
        guard let literal = Self.firstDecimal(scalars) ?? Self.firstInteger(scalars) else {
            return text.allSatisfy({ $0.isWhitespace }) ? .fallback(.empty) : .fallback()
        }
        guard let value = Double(literal) else { return .fallback() }
        return .clamping(value, raw: value)
    }

    /// The number for an ASCII reply that has one, read from its bytes; nil for anything else
    /// (no number, or other scripts' digits), which the general path below decides. The same
    /// matches as `firstDecimal` then `firstInteger`: every reply of a million-pair run went
    /// through an array of Unicode scalars.
    static func asciiNumber(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { bytes -> Double? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
            func number(_ range: Range<Int>) -> Double? {
                Self.shortDecimal(UnsafeBufferPointer(rebasing: bytes[range]))
                    ?? Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
            }
            // `-?\d+\.\d+`, leftmost.
            for i in 0..<bytes.count {
                let start = bytes[i] == 0x2D ? i + 1 : i
                var j = start
                while isDigit(j) { j += 1 }
                if j > start, j + 1 < bytes.count, bytes[j] == 0x2E, isDigit(j + 1) {
                    var k = j + 1
                    while isDigit(k) { k += 1 }
                    return number(i..<k)
                }
            }
            // `-?\d+`, leftmost.
            for i in 0..<bytes.count {
                let start = bytes[i] == 0x2D ? i + 1 : i
                var j = start
                while isDigit(j) { j += 1 }
                if j > start { return number(i..<j) }
            }
            return nil
        }
    }

    /// `-?\d+(\.\d+)?` of at most 15 digits as the nearest Double, exactly as `Double(String)`
    /// reads it: the digits make a whole number below 2^53 and the power of ten dividing it is
    /// exact (at most 10^15), so the one division is correctly rounded (Clinger's fast path).
    /// Nil for a longer literal. Reading "0.4463" through a String and strtod was most of a parse.
    static func shortDecimal(_ literal: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let negative = literal.first == 0x2D
        if negative { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0, fraction = 0
        var inFraction = false
        while i < literal.count {
            let b = literal[i]
            if b == 0x2E {
                inFraction = true
            } else {
                mantissa = mantissa * 10 + UInt64(b - 0x30)
                digits += 1
                if inFraction { fraction += 1 }
                if digits > 15 { return nil }
            }
            i += 1
        }
        let value = Double(mantissa) / Self.powersOfTen[fraction]
        return negative ? -value : value
    }

    static let powersOfTen: [Double] = (0...15).map { pow(10, Double($0)) }

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
