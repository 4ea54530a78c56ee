import Foundation
import Testing
@testable import RerankCore

/// `formatted(decimals:)` computes most values without printf; it must write what printf writes.
@Suite struct NumberFormattingTests {
    static func printf(_ x: Double, _ decimals: Int) -> String {
        let s = String(format: "%.\(decimals)f", x)
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(s.dropFirst()) }
        return s
    }

    @Test func equalsPrintfOnRandomAndAwkwardValues() {
        var g = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 0.5, 1.5, 2.5, -0.5, 0.00005, 0.00015, 0.12345, 0.99995, 0.999949999, 1e-9, -1e-9,
                                123456.789, 99999999999.99, 1e14, 1e15, 1e20, 0.1 + 0.2, 1.0 / 3, -2.0 / 3, .ulpOfOne, 4.35, 0.045]
        for _ in 0..<20_000 {
            switch Int.random(in: 0...3, using: &g) {
            case 0: values.append(Double.random(in: 0...1, using: &g))
            case 1: values.append(Double.random(in: -1000...1000, using: &g))
            // Exact halves and near-halves at every scale: the cases rounding could get wrong.
            case 2: values.append((Double(Int.random(in: 0...200_000, using: &g)) + 0.5) / [1, 10, 100, 1000, 10000].randomElement(using: &g)!)
            default: values.append(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &g)))
            }
        }
        for x in values where x.isFinite {
            for decimals in [0, 1, 2, 3, 4, 6, 9] {
                #expect(x.formatted(decimals: decimals) == Self.printf(x, decimals), "\(x) at \(decimals)")
            }
        }
        #expect(Double.nan.formatted(decimals: 3) == "nan")
        #expect((-Double.infinity).formatted(decimals: 3) == "-inf")
    }
}
