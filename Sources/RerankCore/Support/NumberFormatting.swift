import Foundation

extension Double {
    /// Fixed-point text with `decimals` digits, locale independent.
    public func formatted(decimals: Int) -> String {
        if isNaN { return "nan" }
        if isInfinite { return self > 0 ? "inf" : "-inf" }
        let s = String(format: "%.\(decimals)f", self)
        // Avoid "-0.000".
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(s.dropFirst()) }
        return s
    }

    /// Signed fixed-point text (`+0.041`, `-0.012`).
    public func signed(decimals: Int) -> String {
        let s = formatted(decimals: decimals)
        return s.hasPrefix("-") ? s : "+" + s
    }
}
