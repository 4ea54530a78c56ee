/// TREC run and qrels text that trec_eval, pytrec_eval and ranx read. The format is strict: an id
/// that would break a line is refused with `TRECIDError`, never written.
public enum TRECRunWriter {
    /// `qid Q0 docid rank score tag`, one line per kept candidate in reranked order.
    /// Unscored candidates (failed under the strict policy) get score -1, below every real score.
    /// trec_eval re-sorts by score and breaks ties by docid descending: use the trec tie order for
    /// numbers identical to trec_eval's.
    public static func run(_ report: RunReport, tag: String = "rerankbench") throws(TRECIDError) -> String {
        var out = ""
        for q in report.queries { out += try lines(q, tag: tag) }
        return out
    }

    /// One query's lines of a run: written as the query finishes in a streamed run.
    public static func lines(_ q: QueryReport, tag: String = "rerankbench") throws(TRECIDError) -> String {
        var out = ""
        for c in q.candidates {
            guard let rank = c.newRank else { continue }
            try check(q.queryID, c.id)
            out += "\(q.queryID) Q0 \(c.id) \(rank) \(c.score.map { String($0) } ?? "-1") \(tag)\n"
        }
        return out
    }

    /// The first-stage order as a run (`baseline` tag), scores falling with rank when absent.
    public static func baselineRun(_ dataset: Dataset, tag: String = "baseline") throws(TRECIDError) -> String {
        var out = ""
        for q in dataset.queries {
            let n = q.candidates.count
            for (i, c) in q.candidates.enumerated() {
                try check(q.id, c.id)
                out += "\(q.id) Q0 \(c.id) \(i + 1) \(c.firstStageScore.map { String($0) } ?? String(n - i)) \(tag)\n"
            }
        }
        return out
    }

    /// `qid 0 docid label` for every judged candidate and, unless `scope` is `.pool`, every
    /// judged document outside the pool.
    public static func qrels(_ dataset: Dataset, scope: JudgedScope = .all) throws(TRECIDError) -> String {
        var out = ""
        for q in dataset.queries {
            for c in q.candidates {
                guard let label = c.relevance else { continue }
                try check(q.id, c.id)
                out += "\(q.id) 0 \(c.id) \(label)\n"
            }
            guard scope == .all else { continue }
            for id in q.judgments.keys.sorted() {
                try check(q.id, id)
                out += "\(q.id) 0 \(id) \(q.judgments[id]!)\n"
            }
        }
        return out
    }

    static func check(_ queryID: String, _ documentID: String) throws(TRECIDError) {
        guard TRECIDError.isValid(queryID) else { throw TRECIDError(queryID: queryID) }
        guard TRECIDError.isValid(documentID) else { throw TRECIDError(queryID: queryID, documentID: documentID) }
    }
}
