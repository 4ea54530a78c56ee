/// The Double a JSON number's text stands for: exactly what `Double(String)` (the C library's
/// `strtod`) reads, without making a String for the common numbers.
///
/// Most numbers in datasets are short decimals (0.82, 2, 1e-3). When the digits, read as one
/// integer, are at most 2^53 and the power of ten is at most 10^22, both are exact Doubles, so
/// one IEEE multiplication or division (correctly rounded) gives the correctly rounded value,
/// the one `strtod` gives (Clinger's fast path). Any other text is read by `Double(String)`
/// itself. A million scores went through `Double(String)` on every load of a large file.
enum DecimalDouble {
    /// 10^0 ... 10^22, each exact in a Double (5^22 < 2^53).
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The value of `text`, which must follow JSON's number grammar (an optional '-', digits,
    /// then an optional fraction and exponent). Out of range reads as an infinity of its sign,
    /// as the generic parser always read it.
    static func value(of text: UnsafeBufferPointer<UInt8>) -> Double {
        if let exact = exactByOneOperation(text) { return exact }
        return Double(String(decoding: text, as: UTF8.self)) ?? (text.first == UInt8(ascii: "-") ? -.infinity : .infinity)
    }

    /// The value when its digits fit in 53 bits and its power of ten in 10^±22; nil otherwise.
    static func exactByOneOperation(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = text.count
        var i = 0
        var negative = false
        if i < n, text[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var digits: UInt64 = 0
        var exponent = 0
        var sawDigit = false
        // Stops taking digits well before UInt64 overflows; such a text is left to strtod.
        let tooMany: UInt64 = 1 << 60
        while i < n, case let d = text[i] &- 0x30, d < 10 {
            guard digits < tooMany else { return nil }
            digits = digits &* 10 &+ UInt64(d)
            sawDigit = true
            i += 1
        }
        guard sawDigit else { return nil }
        if i < n, text[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, case let d = text[i] &- 0x30, d < 10 {
                guard digits < tooMany else { return nil }
                digits = digits &* 10 &+ UInt64(d)
                exponent -= 1
                i += 1
            }
        }
        if i < n, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
            i += 1
            var exponentNegative = false
            if i < n, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") {
                exponentNegative = text[i] == UInt8(ascii: "-")
                i += 1
            }
            var written = 0
            while i < n, case let d = text[i] &- 0x30, d < 10 {
                // Far beyond 10^±22 already: the rest only matters to strtod.
                guard written < 100_000 else { return nil }
                written = written * 10 + Int(d)
                i += 1
            }
            exponent += exponentNegative ? -written : written
        }
        guard i == n else { return nil }
        if digits == 0 { return negative ? -0.0 : 0.0 }
        guard digits <= 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
        let magnitude = exponent < 0 ? Double(digits) / powersOfTen[-exponent] : Double(digits) * powersOfTen[exponent]
        return negative ? -magnitude : magnitude
    }
}
