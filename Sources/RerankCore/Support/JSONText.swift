/// Small helpers for writing JSON text by hand where key order must be stable and readable
/// (dataset lines written by the importers).
public enum JSONText {
    /// A JSON string literal for `s`, escaping only what JSON requires.
    public static func quote(_ s: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count + 16)
        appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the JSON string literal for `s` to UTF-8 bytes. Request bodies are built for every
    /// call, so this is a hot path: runs of bytes that need no escape are copied in one piece.
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { bytes in
            let n = bytes.count
            var runStart = 0
            var i = 0
            while i < n {
                // Eight bytes at a time while none needs an escape (prompts are mostly plain).
                if let base = bytes.baseAddress {
                    while i + 8 <= n, !mayNeedEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) { i += 8 }
                }
                guard i < n else { break }
                let b = bytes[i]
                i += 1
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                if runStart < i - 1 { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<(i - 1)])) }
                runStart = i
                out.append(0x5C)
                switch b {
                case 0x22, 0x5C: out.append(b)
                case 0x0A: out.append(0x6E)
                case 0x0D: out.append(0x72)
                case 0x09: out.append(0x74)
                case 0x08: out.append(0x62)
                case 0x0C: out.append(0x66)
                default:
                    out.append(contentsOf: [0x75, 0x30, 0x30, hexDigit(b >> 4), hexDigit(b & 0x0F)])
                }
            }
            if runStart < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
        out.append(0x22)
    }

    /// Whether any of eight bytes is a control character, `"` or `\` (the classic "has a byte
    /// less than n" and "has a zero byte" tests; exact about whether one exists).
    @inline(__always)
    static func mayNeedEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let control = (w &- ones &* 0x20) & ~w & highs
        let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
        let quoteZero = (quote &- ones) & ~quote & highs
        let backslashZero = (backslash &- ones) & ~backslash & highs
        return control | quoteZero | backslashZero != 0
    }

    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }

    /// A JSON string literal for `s` that is also inert and portable: besides what JSON requires,
    /// DEL, C1 controls, bidi controls, the line and paragraph separators, the byte-order mark and
    /// U+FFFE/U+FFFF are written as `\uXXXX`. The same literal is a valid YAML double-quoted
    /// scalar (libyaml rejects those characters raw, and folds U+0085/U+2028/U+2029 as line breaks)
    /// and a valid Python string literal, and it reads back as exactly `s` in all three.
    public static func inertQuote(_ s: String) -> String {
        escapingInvisible(quote(s))
    }

    /// JSON text (a whole document) with the characters `inertQuote` escapes written as `\uXXXX`.
    /// They can only occur inside strings, where the escape means the same character, so the
    /// document parses to the same value; this makes a Foundation `JSONEncoder` output inert too.
    public static func escapingInvisible(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: isInvisible) else { return json }
        var out = String.UnicodeScalarView()
        for s in json.unicodeScalars {
            if isInvisible(s) {
                out.append(contentsOf: "\\u".unicodeScalars)
                out.append(contentsOf: TerminalText.hex(s.value, digits: 4).lowercased().unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    /// Characters JSON allows raw that must not reach a terminal or a YAML reader raw. (C0 controls
    /// are escaped by every JSON writer already.)
    static func isInvisible(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x7F...0x9F, 0x2028...0x202E, 0x2066...0x2069, 0xFEFF, 0xFFFE, 0xFFFF: return true
        default: return false
        }
    }

    /// A JSON number for a finite double: integers without a fraction, others in Swift's
    /// shortest round-tripping form.
    public static func number(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}
