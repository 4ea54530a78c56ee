import RerankCore

/// The scores of judged, scored candidates by label: how many, their sum, and how many fall in
/// each tenth of 0..1. The metrics pane draws its histogram from this every frame; it is made
/// once per report (`WorkbenchState.report`), and during a run only the queries a batch touched
/// are taken out and put back, since walking every pair of a large run each frame kept keys
/// waiting. The calibration view bins its own pairs the same way.
public struct ScoresByLabel: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var count = 0
        /// The sum of the scores in units of 2^-32: whole numbers, so taking a query's scores
        /// out and putting its new ones in lands on the very sum a fresh count makes.
        var units: Int64 = 0
        /// Scores per tenth of 0..1 (below 0 in the first, 1 and above in the last).
        public var tenths = [Int](repeating: 0, count: 10)

        mutating func add(_ score: Double, _ sign: Int = 1) {
            count += sign
            units += Int64(sign) * Self.units(score)
            tenths[Self.bin(score, of: 10)] += sign
        }

        /// The same counts in `bins` bins (10 or 5): a fifth is two tenths exactly, since
        /// doubling a binary float is exact and so floor(s * 5) == floor(s * 10) / 2.
        public func bins(_ bins: Int) -> [Int] {
            guard bins != 10 else { return tenths }
            precondition(10 % bins == 0, "bins must divide 10")
            let per = 10 / bins
            return (0..<bins).map { b in tenths[(b * per)..<((b + 1) * per)].reduce(0, +) }
        }

        public var mean: Double { count > 0 ? Double(units) / 4_294_967_296 / Double(count) : 0 }

        static func units(_ score: Double) -> Int64 {
            guard score.isFinite else { return 0 }
            return Int64((min(max(score, -1e6), 1e6) * 4_294_967_296).rounded())
        }

        static func bin(_ score: Double, of count: Int) -> Int {
            guard !score.isNaN else { return 0 }
            return min(count - 1, max(0, Int(min(max(score, -1), 2) * Double(count))))
        }
    }

    /// The usual labels (0 to 15) by position, the rest by label: a million pairs looked up by
    /// hash cost a frame.
    private var small = [Row](repeating: Row(), count: 16)
    private var other: [Int: Row] = [:]

    public init() {}

    public init(_ report: RunReport?) {
        for q in report?.queries ?? [] { add(q) }
    }

    public init(_ pairs: [ScoreCalibration.Pair]) {
        for p in pairs { add(p.score, label: p.label) }
    }

    /// Counts a query's scored, judged candidates (`sign` -1: takes them out again).
    public mutating func add(_ q: QueryReport, sign: Int = 1) {
        for c in q.candidates {
            guard let score = c.score, let label = c.label else { continue }
            add(score, label: label, sign)
        }
    }

    mutating func add(_ score: Double, label: Int, _ sign: Int = 1) {
        if small.indices.contains(label) { small[label].add(score, sign) } else { other[label, default: Row()].add(score, sign) }
    }

    /// Every label with a score, and its row.
    public var rows: [Int: Row] {
        var all = other.filter { $0.value.count > 0 }
        for (label, row) in small.enumerated() where row.count > 0 { all[label] = row }
        return all
    }

    /// The labels, highest first, with their rows.
    public var byLabel: [(label: Int, row: Row)] {
        let all = rows
        return all.keys.sorted(by: >).map { ($0, all[$0]!) }
    }

    public static func == (a: ScoresByLabel, b: ScoresByLabel) -> Bool { a.rows == b.rows }
}
