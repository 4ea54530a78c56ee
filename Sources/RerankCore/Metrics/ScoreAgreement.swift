/// Agreement between scores and labels over a query's judged candidates.
/// Each is nil (undefined) with fewer than two items or when either side is constant.
public enum ScoreAgreement {
    /// Kendall tau-b = (C - D) / sqrt((C + D + Tx)(C + D + Ty)).
    public static func kendallTauB(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count == y.count, x.count >= 2 else { return nil }
        // Counted by sorting (Knight's method) where that is exact: the same whole numbers as
        // comparing every pair, so the same tau to the bit. Comparing every pair of a hundred
        // candidates, twice a query, was a tenth of a million-pair report.
        let (c, d, tx, ty) = x.count >= 16 && x.allSatisfy(\.isFinite) && y.allSatisfy(\.isFinite)
            ? sortedPairCounts(x, y) : pairCounts(x, y)
        let denominator = ((c + d + tx) * (c + d + ty)).squareRoot()
        guard denominator > 0 else { return nil }
        return (c - d) / denominator
    }

    /// Concordant, discordant, tied only in x, tied only in y: every pair compared.
    static func pairCounts(_ x: [Double], _ y: [Double]) -> (Double, Double, Double, Double) {
        var c = 0.0, d = 0.0, tx = 0.0, ty = 0.0
        for i in 0..<x.count {
            for j in (i + 1)..<x.count {
                let dx = x[i] - x[j], dy = y[i] - y[j]
                if dx == 0 && dy == 0 { continue }
                if dx == 0 { tx += 1; continue }
                if dy == 0 { ty += 1; continue }
                if (dx > 0) == (dy > 0) { c += 1 } else { d += 1 }
            }
        }
        return (c, d, tx, ty)
    }

    /// `pairCounts` for finite values in n log n: order by (x, y), count the pairs tied in x and
    /// in both; the discordant pairs are then the inversions of y in that order (pairs tied in x
    /// are in y order, pairs tied in y are not inversions), counted by a merge sort that leaves
    /// y sorted for counting its ties.
    static func sortedPairCounts(_ x: [Double], _ y: [Double]) -> (Double, Double, Double, Double) {
        let n = x.count
        let order = (0..<n).sorted { x[$0] != x[$1] ? x[$0] < x[$1] : y[$0] < y[$1] }
        var tiedX = 0, tiedBoth = 0
        var i = 0
        while i < n {
            var j = i + 1
            while j < n, x[order[j]] == x[order[i]] { j += 1 }
            tiedX += (j - i) * (j - i - 1) / 2
            var k = i
            while k < j {
                var m = k + 1
                while m < j, y[order[m]] == y[order[k]] { m += 1 }
                tiedBoth += (m - k) * (m - k - 1) / 2
                k = m
            }
            i = j
        }
        var ys = order.map { y[$0] }
        let discordant = inversions(&ys)
        var tiedY = 0
        i = 0
        while i < n {
            var j = i + 1
            while j < n, ys[j] == ys[i] { j += 1 }
            tiedY += (j - i) * (j - i - 1) / 2
            i = j
        }
        let untied = n * (n - 1) / 2 - tiedX - tiedY + tiedBoth
        return (Double(untied - discordant), Double(discordant), Double(tiedX - tiedBoth), Double(tiedY - tiedBoth))
    }

    /// Pairs out of order (an earlier value strictly greater), sorting `a` by merging.
    static func inversions(_ a: inout [Double]) -> Int {
        let n = a.count
        var buffer = a
        var count = 0
        var width = 1
        while width < n {
            var lo = 0
            while lo < n - width {
                let mid = lo + width, hi = min(lo + 2 * width, n)
                var i = lo, j = mid, k = lo
                while i < mid, j < hi {
                    if a[j] < a[i] {
                        buffer[k] = a[j]
                        j += 1
                        count += mid - i
                    } else {
                        buffer[k] = a[i]
                        i += 1
                    }
                    k += 1
                }
                while i < mid { buffer[k] = a[i]; i += 1; k += 1 }
                while j < hi { buffer[k] = a[j]; j += 1; k += 1 }
                for t in lo..<hi { a[t] = buffer[t] }
                lo += 2 * width
            }
            width *= 2
        }
        return count
    }

    public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count == y.count, x.count >= 2 else { return nil }
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<x.count {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy
            sxx += dx * dx
            syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Spearman's rho: Pearson correlation of average ranks.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count == y.count, x.count >= 2 else { return nil }
        return pearson(averageRanks(x), averageRanks(y))
    }

    /// 1-based ranks, ties sharing the mean of the ranks they span.
    public static func averageRanks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var ranks = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, v[order[j + 1]] == v[order[i]] { j += 1 }
            let mean = Double(i + j + 2) / 2
            for k in i...j { ranks[order[k]] = mean }
            i = j + 1
        }
        return ranks
    }
}
