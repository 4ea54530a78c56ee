import RerankCore

/// The scores of judged, scored candidates by label: how many, their sum, and how many fall in
/// each tenth of 0..1. The metrics pane draws its histogram from this every frame; it is made
/// once per report (`WorkbenchState.report`), since walking every pair of a large run each
/// frame kept keys waiting. The calibration view bins its own pairs the same way.
public struct ScoresByLabel: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var count = 0
        public var sum = 0.0
        /// Scores per tenth of 0..1 (below 0 in the first, 1 and above in the last).
        public var tenths = [Int](repeating: 0, count: 10)

        mutating func add(_ score: Double) {
            count += 1
            sum += score
            tenths[Self.bin(score, of: 10)] += 1
        }

        /// The same counts in `bins` bins (10 or 5): a fifth is two tenths exactly, since
        /// doubling a binary float is exact and so floor(s * 5) == floor(s * 10) / 2.
        public func bins(_ bins: Int) -> [Int] {
            guard bins != 10 else { return tenths }
            precondition(10 % bins == 0, "bins must divide 10")
            let per = 10 / bins
            return (0..<bins).map { b in tenths[(b * per)..<((b + 1) * per)].reduce(0, +) }
        }

        public var mean: Double { sum / Double(max(1, count)) }

        static func bin(_ score: Double, of count: Int) -> Int { min(count - 1, max(0, Int(score * Double(count)))) }
    }

    public var rows: [Int: Row] = [:]

    public init() {}

    public init(_ report: RunReport?) {
        // The usual labels (0 to 15) by index: a million pairs looked up by hash cost a frame.
        var small = [Row](repeating: Row(), count: 16)
        for q in report?.queries ?? [] {
            for c in q.candidates {
                guard let score = c.score, let label = c.label else { continue }
                if small.indices.contains(label) { small[label].add(score) } else { rows[label, default: Row()].add(score) }
            }
        }
        for (label, row) in small.enumerated() where row.count > 0 { rows[label] = row }
    }

    public init(_ pairs: [ScoreCalibration.Pair]) {
        for p in pairs { rows[p.label, default: Row()].add(p.score) }
    }

    /// The labels, highest first, with their rows.
    public var byLabel: [(label: Int, row: Row)] { rows.keys.sorted(by: >).map { ($0, rows[$0]!) } }
}
