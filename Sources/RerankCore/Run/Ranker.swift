/// How ties between equal scores are ordered.
public enum TiePolicy: String, Sendable, CaseIterable, Codable {
    /// Stable sort: ties keep first-stage order, as mem0 does. The default.
    case stable
    /// trec_eval's order: ties broken by document id descending, comparing raw UTF-8 bytes.
    case trec
}

/// Orders candidates by score.
public enum Ranker {
    /// Indices of `ids` in ranked order. `scores[i]` nil (a failed pair under the strict policy)
    /// sorts after every scored candidate, in first-stage order.
    public static func order(ids: [String], scores: [Double?], policy: TiePolicy) -> [Int] {
        precondition(ids.count == scores.count)
        return ids.indices.sorted { a, b in
            switch (scores[a], scores[b]) {
            case let (sa?, sb?):
                if sa != sb { return sa > sb }
            case (.some, .none): return true
            case (.none, .some): return false
            case (.none, .none): return a < b
            }
            switch policy {
            case .stable: return a < b
            case .trec: return Self.trecIDOrder(ids[a], ids[b])
            }
        }
    }

    /// True when `a` comes before `b` among tied scores in trec_eval: id descending by bytes.
    public static func trecIDOrder(_ a: String, _ b: String) -> Bool {
        b.utf8.lexicographicallyPrecedes(a.utf8)
    }
}
