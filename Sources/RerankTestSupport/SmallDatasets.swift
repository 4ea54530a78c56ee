import RerankKit

extension Fixtures {
    /// `queries` queries of `candidates` candidates each, labels cycling 0-2, first-stage scores falling.
    public static func dataset(queries: Int, candidates: Int) -> Dataset {
        Dataset(path: "generated", queries: (0..<queries).map { q in
            Query(id: "q\(q)", text: "question \(q)", candidates: (0..<candidates).map { c in
                Candidate(id: "m\(c)", text: "memory \(q)-\(c)", relevance: c % 3, firstStageScore: 1 - Double(c) / 100, fileIndex: c)
            })
        })
    }

    /// A deterministic score for a pair, for fake servers whose answers must not depend on order.
    public static func score(query: String, document: String) -> Double {
        var h: UInt64 = 1469598103934665603
        for b in (query + "\u{0}" + document).utf8 { h = (h ^ UInt64(b)) &* 1099511628211 }
        return Double(h % 1000) / 1000
    }
}
