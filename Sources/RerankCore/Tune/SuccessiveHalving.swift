/// The selection inside a round: every candidate is scored on a small seeded minibatch of dev
/// queries, the better half goes on to a minibatch twice as large, until one is left; it then
/// meets its parent on the whole dev split. Cheap candidates die on few calls.
public enum SuccessiveHalving {
    /// The dev query ids in the order minibatches take them: a seeded shuffle per round, so a
    /// larger minibatch holds the smaller one (cached replies carry over) and the same seed
    /// gives the same minibatches.
    public static func order(_ ids: [String], seed: UInt64, round: Int) -> [String] {
        var out = ids.sorted()
        var rng = SeededRandom(seed: roundSeed(seed, round: round))
        if out.count > 1 {
            for i in stride(from: out.count - 1, to: 0, by: -1) { out.swapAt(i, rng.next(below: i + 1)) }
        }
        return out
    }

    /// The seed of one round (and, with `variant`, of one proposal's failure examples).
    public static func roundSeed(_ seed: UInt64, round: Int, variant: Int = 0) -> UInt64 {
        var rng = SeededRandom(seed: seed ^ (UInt64(round) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(variant + 1) &* 0xC2B2_AE3D_27D4_EB4F))
        return rng.next()
    }

    /// The better half (rounded up) of `scored` candidates by mean, best first; the earlier
    /// proposal wins a tie, so the result never depends on evaluation order.
    public static func survivors(_ scored: [(number: Int, mean: Double)]) -> [Int] {
        let sorted = scored.sorted { a, b in a.mean != b.mean ? a.mean > b.mean : a.number < b.number }
        return sorted.prefix((scored.count + 1) / 2).map(\.number)
    }

    /// The next minibatch size: twice the last, at most every dev query.
    public static func grow(_ size: Int, total: Int) -> Int { min(total, max(1, size) * 2) }

    /// The minibatch sizes a round goes through for `candidates` valid proposals, with the
    /// number of candidates scored at each: for the estimate.
    public static func schedule(candidates: Int, first: Int, total: Int) -> [(candidates: Int, queries: Int)] {
        var out: [(candidates: Int, queries: Int)] = []
        var pool = candidates, size = min(first, total)
        while pool > 1 {
            out.append((pool, size))
            if size >= total { break }
            pool = (pool + 1) / 2
            size = grow(size, total: total)
        }
        return out
    }
}
