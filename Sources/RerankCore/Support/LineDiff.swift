/// A line-by-line diff of two texts from their longest common subsequence of lines: the lines
/// both keep, and what the second removed and added.
public enum LineDiff {
    public enum Line: Sendable, Equatable {
        case same(String)
        case removed(String)
        case added(String)
    }

    public static func lines(_ a: String, _ b: String) -> [Line] {
        diff(a.components(separatedBy: "\n"), b.components(separatedBy: "\n"))
    }

    public static func diff(_ a: [String], _ b: [String]) -> [Line] {
        // Common first and last lines need no table: prompts differ in a few lines.
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let x = Array(a[prefix..<(a.count - suffix)])
        let y = Array(b[prefix..<(b.count - suffix)])
        // length[i][j]: the LCS of x[i...] and y[j...], filled from the end.
        let n = x.count, m = y.count
        var length = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        if n > 0 && m > 0 {
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    length[i][j] = x[i] == y[j] ? length[i + 1][j + 1] + 1 : max(length[i + 1][j], length[i][j + 1])
                }
            }
        }
        var out = a[..<prefix].map(Line.same)
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, x[i] == y[j] {
                out.append(.same(x[i])); i += 1; j += 1
            } else if j < m, i == n || length[i][j + 1] > length[i + 1][j] {
                out.append(.added(y[j])); j += 1
            } else {
                // Removals before additions where both are as long: a changed line reads as
                // the old one, then the new one.
                out.append(.removed(x[i])); i += 1
            }
        }
        out += a[(a.count - suffix)...].map(Line.same)
        return out
    }
}
