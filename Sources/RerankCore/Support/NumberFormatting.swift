import Foundation

extension Double {
    /// Fixed-point text with `decimals` digits, locale independent.
    public func formatted(decimals: Int) -> String {
        if isNaN { return "nan" }
        if isInfinite { return self > 0 ? "inf" : "-inf" }
        let s = fixedPoint(decimals: decimals) ?? String(format: "%.\(decimals)f", self)
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
        var text = String(digits)
        if decimals > 0 {
            if text.utf8.count <= decimals { text = String(repeating: "0", count: decimals + 1 - text.utf8.count) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals))
        }
        // printf keeps the sign of a negative value that rounds to zero; the caller drops it.
        return self < 0 || (self == 0 && sign == .minus) ? "-" + text : text
    }

    /// Signed fixed-point text (`+0.041`, `-0.012`).
    public func signed(decimals: Int) -> String {
        let s = formatted(decimals: decimals)
        return s.hasPrefix("-") ? s : "+" + s
    }
}
