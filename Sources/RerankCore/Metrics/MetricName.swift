import Foundation

/// A metric as users name it: `ndcg@10`, `ndcg`, `map`, `mrr`, `p@5`, `recall@10`, `tau`,
/// `spearman`, `pearson`.
public enum MetricName: Hashable, Sendable, CustomStringConvertible, Comparable {
    case ndcgAt(Int)
    case ndcg
    case map
    case mrr
    case precisionAt(Int)
    case recallAt(Int)
    case kendallTau
    case spearman
    case pearson

    public var description: String {
        switch self {
        case let .ndcgAt(k): return "ndcg@\(k)"
        case .ndcg: return "ndcg"
        case .map: return "map"
        case .mrr: return "mrr"
        case let .precisionAt(k): return "p@\(k)"
        case let .recallAt(k): return "recall@\(k)"
        case .kendallTau: return "tau"
        case .spearman: return "spearman"
        case .pearson: return "pearson"
        }
    }

    /// Column heading for tables.
    public var heading: String {
        switch self {
        case let .ndcgAt(k): return "NDCG@\(k)"
        case .ndcg: return "NDCG"
        case .map: return "MAP"
        case .mrr: return "MRR"
        case let .precisionAt(k): return "P@\(k)"
        case let .recallAt(k): return "R@\(k)"
        case .kendallTau: return "tau-b"
        case .spearman: return "rho"
        case .pearson: return "r"
        }
    }

    /// Agreement metrics may be undefined for a query and are averaged over defined queries only.
    public var isAgreement: Bool {
        switch self {
        case .kendallTau, .spearman, .pearson: return true
        default: return false
        }
    }

    private var order: (Int, Int) {
        switch self {
        case let .ndcgAt(k): return (0, k)
        case .ndcg: return (1, 0)
        case .map: return (2, 0)
        case .mrr: return (3, 0)
        case let .precisionAt(k): return (4, k)
        case let .recallAt(k): return (5, k)
        case .kendallTau: return (6, 0)
        case .spearman: return (7, 0)
        case .pearson: return (8, 0)
        }
    }

    public static func < (a: MetricName, b: MetricName) -> Bool { a.order < b.order }

    /// Parses a user-written name (`ndcg@10`, `NDCG@10`, `P@5`, `map`, `kendall`, ...).
    public init?(_ text: String) {
        let t = text.lowercased().trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: "@", maxSplits: 1).map(String.init)
        if parts.count == 2 {
            guard let k = Int(parts[1]), k > 0 else { return nil }
            switch parts[0] {
            case "ndcg", "ndcg_cut": self = .ndcgAt(k)
            case "p", "precision", "p_cut": self = .precisionAt(k)
            case "r", "recall": self = .recallAt(k)
            default: return nil
            }
            return
        }
        switch t {
        case "ndcg": self = .ndcg
        case "map", "ap": self = .map
        case "mrr", "rr", "recip_rank": self = .mrr
        case "tau", "kendall", "kendall_tau", "tau-b": self = .kendallTau
        case "spearman", "rho": self = .spearman
        case "pearson", "r": self = .pearson
        default: return nil
        }
    }
}
