/// Finds numbers in reply text the way a person reads them, for the non-mem0 parsers:
/// `0.85`, `.5`, `-0.2`, `1e-3`, `85%`, `8/10`, `7 out of 10`. A trailing sentence period is not part
/// of a number, and digits inside words (`gpt-4o`, `H2O`) are not numbers.
struct NumberScanner {
    struct Found: Equatable {
        /// The number itself (numerator for fractions).
        var value: Double
        /// An explicit denominator (`/10`, `out of 10`), or 100 for a percent sign.
        var denominator: Double?
        /// Scalar offsets of the match in the text.
        var range: Range<Int>
    }

    static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }

    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        isAlphabetic(s) || isDigit(s) || s == "_"
    }

    /// Unicode's Alphabetic property, with ASCII (where it is exactly the letters) answered
    /// without the property table: a re-parse asks it around every number of every reply.
    static func isAlphabetic(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return (s.value | 0x20) >= 0x61 && (s.value | 0x20) <= 0x7A }
        return s.properties.isAlphabetic
    }

    /// Every number in `text`, left to right.
    static func scan(_ text: String) -> [Found] {
        let s = Array(text.unicodeScalars)
        var results: [Found] = []
        var i = 0
        while i < s.count {
            guard let (value, end) = number(s, at: i) else { i += 1; continue }
            var found = Found(value: value, denominator: nil, range: i..<end)
            var k = end
            // Skip spaces, then look for a percent sign or a denominator.
            var p = k
            while p < s.count, s[p] == " " { p += 1 }
            if p < s.count, s[p] == "%" {
                found.denominator = 100
                k = p + 1
            } else if p < s.count, s[p] == "/" {
                var q = p + 1
                while q < s.count, s[q] == " " { q += 1 }
                if let (d, e) = number(s, at: q), d > 0 {
                    found.denominator = d
                    k = e
                }
            } else if let after = match(s, at: p, word: "out of") {
                var q = after
                while q < s.count, s[q] == " " { q += 1 }
                if let (d, e) = number(s, at: q), d > 0 {
                    found.denominator = d
                    k = e
                }
            }
            found.range = i..<k
            results.append(found)
            i = k
        }
        return results
    }

    /// Case-insensitive match of `word` (lowercase ASCII, like "out of") at `i`; returns the index
    /// after it. Compared as ASCII, without a String per scalar: no other scalar lowercases to
    /// one of these letters (the Kelvin sign's "k" is not among them).
    static func match(_ s: [Unicode.Scalar], at i: Int, word: StaticString) -> Int? {
        let count = word.utf8CodeUnitCount
        guard i >= 0, i + count <= s.count else { return nil }
        let w = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for k in 0..<count {
            let v = s[i + k].value, c = UInt32(w[k])
            let lower = v >= 0x41 && v <= 0x5A ? v | 0x20 : v
            guard lower == c else { return nil }
        }
        return i + count
    }

    /// A number starting exactly at `i`: `-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?`, not inside a word.
    static func number(_ s: [Unicode.Scalar], at i: Int) -> (Double, Int)? {
        guard i < s.count else { return nil }
        if i > 0 {
            let prev = s[i - 1]
            if isWordScalar(prev) || prev == "." || (isDigit(s[i]) && prev == "-" && i > 1 && isWordScalar(s[i - 2])) {
                return nil
            }
        }
        var j = i
        if s[j] == "-" || s[j] == "+" { j += 1 }
        let intStart = j
        while j < s.count, isDigit(s[j]) { j += 1 }
        let hasInt = j > intStart
        var hasFrac = false
        if j + 1 < s.count, s[j] == ".", isDigit(s[j + 1]) {
            j += 1
            while j < s.count, isDigit(s[j]) { j += 1 }
            hasFrac = true
        }
        guard hasInt || hasFrac else { return nil }
        if j + 1 < s.count, s[j] == "e" || s[j] == "E" {
            var e = j + 1
            if e < s.count, s[e] == "-" || s[e] == "+" { e += 1 }
            let expStart = e
            while e < s.count, isDigit(s[e]) { e += 1 }
            if e > expStart { j = e }
        }
        // A letter glued to the end (`4o`, `3rd`) means this was part of a word.
        if j < s.count, isAlphabetic(s[j]) { return nil }
        // Every scalar matched is ASCII (sign, digits, '.', 'e'): written as bytes, the text
        // is made without appending scalar by scalar (that was most of a re-parse's parsing).
        let text = String(unsafeUninitializedCapacity: j - i) { out in
            for k in i..<j { out[k - i] = UInt8(truncatingIfNeeded: s[k].value) }
            return j - i
        }
        guard let v = Double(text), v.isFinite else { return nil }
        return (v, j)
    }

    /// Maps a found number to 0...1 with its denominator or the prompt's scale, clamping.
    static func score(_ f: Found, scale: ScoreScale) -> ParsedScore {
        let divisor = f.denominator ?? scale.divisor
        return .clamping(f.value / divisor, raw: f.value)
    }
}
