/// A line-by-line diff of two texts (a longest common subsequence of lines): what a prompt
/// version kept, dropped and added against another. Prompts are tens of lines, so the quadratic
/// table is small; past `limit` lines on both sides the middle is shown as replaced whole.
public struct LineDiff: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case same, removed, added
    }

    public struct Line: Sendable, Equatable {
        public var kind: Kind
        public var text: String
        /// 1-based line numbers in the old and the new text (nil where the line is not there).
        public var old: Int?
        public var new: Int?
    }

    public var lines: [Line]

    public var added: Int { lines.filter { $0.kind == .added }.count }
    public var removed: Int { lines.filter { $0.kind == .removed }.count }
    public var isEmpty: Bool { added == 0 && removed == 0 }

    public init(old: String, new: String, limit: Int = 2000) {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The common head and tail need no table; most edits touch a few lines in the middle.
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let midA = Array(a[head..<(a.count - tail)]), midB = Array(b[head..<(b.count - tail)])
        var out: [Line] = (0..<head).map { Line(kind: .same, text: a[$0], old: $0 + 1, new: $0 + 1) }
        out += Self.middle(midA, midB, offsetA: head, offsetB: head, limit: limit)
        for k in 0..<tail {
            let i = a.count - tail + k, j = b.count - tail + k
            out.append(Line(kind: .same, text: a[i], old: i + 1, new: j + 1))
        }
        lines = out
    }

    /// The changed middle: an LCS table, walked from the start so removals come before the
    /// additions that replace them.
    static func middle(_ a: [String], _ b: [String], offsetA: Int, offsetB: Int, limit: Int) -> [Line] {
        if a.count > limit || b.count > limit {
            return a.enumerated().map { Line(kind: .removed, text: $1, old: offsetA + $0 + 1, new: nil) }
                + b.enumerated().map { Line(kind: .added, text: $1, old: nil, new: offsetB + $0 + 1) }
        }
        let n = a.count, m = b.count
        // lcs[i][j]: the longest common subsequence of a[i...] and b[j...].
        var lcs = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var out: [Line] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                out.append(Line(kind: .same, text: a[i], old: offsetA + i + 1, new: offsetB + j + 1))
                i += 1
                j += 1
            } else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] {
                out.append(Line(kind: .removed, text: a[i], old: offsetA + i + 1, new: nil))
                i += 1
            } else {
                out.append(Line(kind: .added, text: b[j], old: nil, new: offsetB + j + 1))
                j += 1
            }
        }
        return out
    }
}
