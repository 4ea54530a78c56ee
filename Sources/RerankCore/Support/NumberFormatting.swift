import Foundation

extension Double {
    /// Fixed-point text with `decimals` digits, locale independent.
    public func formatted(decimals: Int) -> String {
        if isNaN { return "nan" }
        if isInfinite { return self > 0 ? "inf" : "-inf" }
        if let s = fixedPoint(decimals: decimals) { return s }
        let s = String(format: "%.\(decimals)f", self)
        // Avoid "-0.000".
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(s.dropFirst()) }
        return s
    }

    /// `%.Nf` by integer arithmetic, or nil when that could differ from printf's. printf rounds
    /// the double's exact value; scaling by 10^N rounds once more (by half an ulp), which can
    /// only change the result when the scaled value is within that of a half. Those, and values
    /// too large for exact integers, go to `String(format:)` (a Foundation call that was a
    /// twentieth of a million-pair baseline run).
    private func fixedPoint(decimals: Int) -> String? {
        guard decimals >= 0, decimals <= 9 else { return nil }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = abs(self) * scale
        guard scaled < 1e15 else { return nil }
        let whole = scaled.rounded(.down)
        let fraction = scaled - whole
        // The scaling's error is at most an ulp of `scaled` (about scaled x 2.2e-16).
        guard abs(fraction - 0.5) > max(1e-6, scaled * 1e-15) else { return nil }
        let digits = Int(fraction > 0.5 ? whole + 1 : whole)
        // printf keeps the sign of a negative value that rounds to zero; `formatted` drops it,
        // so it is not written here at all.
        let negative = digits > 0 && self < 0
        var integerDigits = 1
        var rest = digits
        while rest >= 10 {
            rest /= 10
            integerDigits += 1
        }
        // Written into the string's own storage from the last digit back: a baseline run formats
        // a million scores, and building the text piece by piece (and inserting the point) was
        // most of the time.
        let width = max(integerDigits, decimals + 1)
        let length = (negative ? 1 : 0) + width + (decimals > 0 ? 1 : 0)
        return String(unsafeUninitializedCapacity: length) { out in
            var i = length - 1
            var v = digits
            for k in 0..<width {
                if decimals > 0, k == decimals {
                    out[i] = UInt8(ascii: ".")
                    i -= 1
                }
                out[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                i -= 1
            }
            if negative { out[0] = UInt8(ascii: "-") }
            return length
        }
    }

    /// Signed fixed-point text (`+0.041`, `-0.012`).
    public func signed(decimals: Int) -> String {
        let s = formatted(decimals: decimals)
        return s.hasPrefix("-") ? s : "+" + s
    }
}
