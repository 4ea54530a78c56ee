/// What an import made: the queries, and what the user should know about the files.
public struct ImportedDataset: Sendable {
    public var queries: [Query]
    /// Queries of the qrels that the run does not mention: nothing to rerank, so not imported.
    public var qrelsQueriesWithoutRun: [String] = []
    /// What else the user should know: items dropped or repaired, grouped by reason.
    public var notes: [ImportNote] = []
}

/// Builds a dataset from TREC files: a run choosing the candidates (and their first-stage scores),
/// qrels giving labels, and id/text sources for queries and documents. Every qrel of a query
/// whose document the run did not retrieve (or `depth` cut) is kept in `judgments`, so R and
/// IDCG count it as trec_eval does.
public struct TRECImporter: Sendable {
    public var runPath: String
    public var qrelsPath: String?
    public var queriesPath: String
    public var documentsPath: String
    /// Keep at most this many candidates per query (in trec_eval's order).
    public var depth: Int?

    public init(runPath: String, qrelsPath: String?, queriesPath: String, documentsPath: String, depth: Int? = nil) {
        self.runPath = runPath
        self.qrelsPath = qrelsPath
        self.queriesPath = queriesPath
        self.documentsPath = documentsPath
        self.depth = depth
    }

    public func importQueries() throws(InputError) -> ImportedDataset {
        let run = try TRECFiles.run(runPath)
        let qrels = try qrelsPath.map { p throws(InputError) in try TRECFiles.qrels(p) } ?? [:]
        let queryTexts = try TRECFiles.texts(queriesPath, role: "queries")
        let docTexts = try TRECFiles.texts(documentsPath, role: "documents")
        return try Self.assemble(run: run, runPath: runPath, qrels: qrels, queryTexts: queryTexts, queriesPath: queriesPath,
                                 docTexts: docTexts, documentsPath: documentsPath, depth: depth)
    }

    static func assemble(run: [TRECFiles.RunLine], runPath: String, qrels: [String: [String: Int]],
                         queryTexts: [String: String], queriesPath: String,
                         docTexts: [String: String], documentsPath: String, depth: Int?) throws(InputError) -> ImportedDataset {
        var order: [String] = []
        var byQuery: [String: [TRECFiles.RunLine]] = [:]
        for line in run {
            if byQuery[line.queryID] == nil { order.append(line.queryID) }
            byQuery[line.queryID, default: []].append(line)
        }
        var issues: [InputIssue] = []
        var queries: [Query] = []
        for qid in order {
            guard let text = queryTexts[qid] else {
                issues.append(InputIssue(file: queriesPath, line: 0, field: TerminalText.inert(qid), message: "query \(TerminalText.quoted(qid)) of the run (line \(byQuery[qid]![0].line)) has no text here; add `\(TerminalText.inert(qid))<TAB>text`"))
                continue
            }
            // trec_eval's order: score descending, ties by docid descending.
            var lines = byQuery[qid]!.sorted { a, b in
                a.score != b.score ? a.score > b.score : Ranker.trecIDOrder(a.docID, b.docID)
            }
            if let depth { lines = Array(lines.prefix(depth)) }
            var candidates: [Candidate] = []
            for (i, l) in lines.enumerated() {
                guard let body = docTexts[l.docID] else {
                    issues.append(InputIssue(file: runPath, line: l.line, field: "docid", message: "document \(TerminalText.quoted(l.docID)) has no text in \(documentsPath)"))
                    continue
                }
                candidates.append(Candidate(id: l.docID, text: body, relevance: qrels[qid]?[l.docID], firstStageScore: l.score, fileIndex: i))
            }
            // Judgments never depend on depth: a qrel of a document outside the kept candidates
            // still counts in R and IDCG.
            let pool = Set(candidates.map(\.id))
            let outside = (qrels[qid] ?? [:]).filter { !pool.contains($0.key) }
            queries.append(Query(id: qid, text: text, candidates: candidates, judgments: outside))
        }
        if !issues.isEmpty {
            throw InputError(issues: Array(issues.prefix(20)), moreCount: max(0, issues.count - 20))
        }
        let unmatched = qrels.keys.filter { byQuery[$0] == nil }.sorted()
        return ImportedDataset(queries: queries, qrelsQueriesWithoutRun: unmatched)
    }
}
