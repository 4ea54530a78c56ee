import RerankCore

/// Terminal display width of text, independent of the C locale (`wcwidth` returns -1 under the
/// C locale the tests run in): CJK and emoji take two columns, combining marks none.
public enum DisplayWidth {
    /// Ranges of East Asian Wide and Fullwidth characters (Unicode 15, EastAsianWidth.txt W/F),
    /// merged where adjacent.
    static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55, 0x2E80...0x303E,
        0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
        0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
        0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E,
        0x1F191...0x1F19A, 0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251,
        0x1F260...0x1F265, 0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393,
        0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E,
        0x1F440...0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567,
        0x1F57A...0x1F57A, 0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5,
        0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC,
        0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945,
        0x1F947...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    static func isWide(_ v: UInt32) -> Bool {
        var lo = 0, hi = wide.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if v < wide[mid].lowerBound { hi = mid - 1 } else if v > wide[mid].upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// Columns one grapheme cluster takes as the grid draws it: 0, 1 or 2, or the width of the
    /// visible escape a control or bidi character is drawn as (`ScreenGrid.put`).
    public static func of(_ c: Character) -> Int {
        // Printable ASCII first: most of every frame.
        if let a = c.asciiValue, a >= 0x20, a < 0x7F { return 1 }
        let scalars = c.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if TerminalText.escape(first) != nil {
            // The escape is ASCII: one column per character.
            return TerminalText.inert(String(c), layout: .row).unicodeScalars.count
        }
        if first.value < 0x300 { return 1 }
        // An emoji presentation selector makes a text-style symbol two columns wide.
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return scalars.count > 1 ? of(Character(String(String.UnicodeScalarView(scalars.dropFirst())))) : 0
        default: break
        }
        if isWide(first.value) { return 2 }
        // Regional indicator pairs (flags) show as one wide glyph.
        if (0x1F1E6...0x1F1FF).contains(first.value) { return 2 }
        return 1
    }

    public static func of(_ s: String) -> Int {
        if isPrintableASCII(s) { return s.utf8.count }
        return s.reduce(0) { $0 + of($1) }
    }

    /// True when every byte of `s` is printable ASCII: one column each, no grapheme clusters to
    /// find, nothing to escape. Most text a frame draws is, and the byte check is far cheaper
    /// than walking the characters.
    static func isPrintableASCII(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// The longest prefix of `s` that fits in `columns`, and its width.
    public static func prefix(_ s: String, fitting columns: Int) -> (String, Int) {
        if isPrintableASCII(s) {
            let n = min(max(0, columns), s.utf8.count)
            return (String(decoding: s.utf8.prefix(n), as: UTF8.self), n)
        }
        var out = ""
        var used = 0
        for c in s {
            let w = of(c)
            if used + w > columns { break }
            out.append(c)
            used += w
        }
        return (out, used)
    }

    /// `s` clipped to `columns`, ending in an ellipsis when cut.
    public static func clip(_ s: String, _ columns: Int) -> String {
        guard columns > 0 else { return "" }
        if of(s) <= columns { return s }
        let (p, _) = prefix(s, fitting: columns - 1)
        return p + "…"
    }

    /// `s` padded with spaces (or clipped) to exactly `columns`.
    public static func pad(_ s: String, _ columns: Int, right: Bool = false) -> String {
        let clipped = clip(s, columns)
        let gap = String(repeating: " ", count: max(0, columns - of(clipped)))
        return right ? gap + clipped : clipped + gap
    }
}
