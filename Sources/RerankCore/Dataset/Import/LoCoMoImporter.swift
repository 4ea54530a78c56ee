import Foundation

/// Builds a dataset from the LoCoMo conversational-memory benchmark (`locomo10.json`), the one
/// mem0's paper evaluates on.
///
/// Every QA entry with evidence becomes a query (`<sample_id>/q<N>`, N its 1-based place in the
/// sample's `qa` list). Its candidates are items of the same conversation, chosen by a first
/// stage: the built-in BM25 or a TREC run from any retriever. Items the evidence points at are
/// labelled 1, every other candidate 0; relevant items the first stage missed go into
/// `judgments`, so R and IDCG count them and the pool's ceiling shows what was lost.
public struct LoCoMoImporter: Sendable {
    /// What a candidate is.
    public enum CandidateKind: String, Sendable, CaseIterable {
        /// Dialog turns (`D1:3`); relevant when the evidence names the turn.
        case turns
        /// Session observations (`O1:4`, the 4th observation of session 1); relevant when the
        /// turns it was drawn from include an evidence turn.
        case observations
        /// Session summaries (`S1`); relevant when an evidence turn is in that session.
        case summaries
    }

    /// Where the candidates come from.
    public enum FirstStage: Sendable, Equatable {
        /// BM25 over the conversation's items (the project's lexical scorer).
        case bm25
        /// A TREC run (`qid Q0 docid rank score tag`) with this importer's query and item ids.
        case run(path: String)
    }

    /// What to do with category 5 (adversarial: the question has no answer in the conversation).
    public enum Adversarial: String, Sendable, CaseIterable {
        /// Leave them out, as mem0's paper does.
        case skip
        case keep
    }

    /// BM25 keeps this many candidates per query unless `depth` says otherwise: a conversation has
    /// hundreds of turns, and a reranker scores one call per candidate.
    public static let defaultBM25Depth = 20

    public var path: String
    public var kind: CandidateKind
    public var firstStage: FirstStage
    public var depth: Int?
    public var adversarial: Adversarial

    public init(path: String, kind: CandidateKind = .turns, firstStage: FirstStage = .bm25, depth: Int? = nil, adversarial: Adversarial = .skip) {
        self.path = path
        self.kind = kind
        self.firstStage = firstStage
        self.depth = depth
        self.adversarial = adversarial
    }

    /// An item that can be a candidate, with the evidence that makes it relevant.
    struct Item { var id: String; var text: String; var turns: Set<String>; var session: Int }

    public func importQueries() throws(InputError) -> ImportedDataset {
        let conversations = try LoCoMoConversation.read(path)
        var notes = ImportNotes()
        notes.add(.info, "QA entries read from \(conversations.count) conversation\(conversations.count == 1 ? "" : "s")", count: conversations.reduce(0) { $0 + $1.qa.count })
        var run: [String: [TRECFiles.RunLine]]?
        var runPath = ""
        if case let .run(p) = firstStage {
            runPath = p
            run = Dictionary(grouping: try TRECFiles.run(p), by: \.queryID)
        }
        var queries: [Query] = []
        var issues: [InputIssue] = []
        var knownQueryIDs = Set<String>()
        for conv in conversations {
            let items = Self.items(of: conv, kind: kind)
            let byID = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            // Turn ids as the evidence reads them (canonical `D<n>:<m>`), to the id in the file.
            let turnIDs = Dictionary(conv.turns.map { (Self.canonical($0.diaID), $0.diaID) }, uniquingKeysWith: { a, _ in a })
            for n in conv.sessionsWithoutDate {
                notes.add(.info, "sessions with no date (their text carries none)", example: "\(conv.sampleID) session_\(n)")
            }
            if items.isEmpty {
                notes.add(.warning, "conversations with no \(kind.rawValue), not imported", example: conv.sampleID)
                continue
            }
            lazy var scorer = LexicalProvider(dataset: Dataset(path: path, queries: [
                Query(id: conv.sampleID, text: "", candidates: items.map { Candidate(id: $0.id, text: $0.text) }),
            ]))
            lazy var counts = items.map { LexicalProvider.TermCounts($0.text) }
            for qa in conv.qa {
                let qid = "\(conv.sampleID)/q\(qa.number)"
                knownQueryIDs.insert(qid)
                if qa.category == 5, adversarial == .skip {
                    notes.add(.info, "adversarial questions (category 5) skipped", example: qid, remedies: [.use(.adversarial, value: "keep")])
                    continue
                }
                if qa.evidence.isEmpty {
                    notes.add(.info, "questions with no evidence, not imported (nothing is labelled relevant)", example: qid)
                    continue
                }
                var evidence = Set<String>()
                for written in qa.evidence {
                    for token in LoCoMoEvidence.tokens(written) {
                        switch token {
                        case let .exact(id):
                            if let turn = turnIDs[id] { evidence.insert(turn) } else {
                                notes.add(.warning, "evidence ids that name no turn of their conversation, dropped", example: "\(qid) \(TerminalText.quoted(id))")
                            }
                        case let .lenient(w, readAs):
                            if let turn = turnIDs[readAs] {
                                evidence.insert(turn)
                                notes.add(.info, "evidence ids read leniently", example: "\(qid) \(TerminalText.quoted(w)) as \(readAs)")
                            } else {
                                notes.add(.warning, "evidence ids that name no turn of their conversation, dropped", example: "\(qid) \(TerminalText.quoted(w))")
                            }
                        case let .unreadable(w):
                            notes.add(.warning, "evidence ids that name no turn of their conversation, dropped", example: "\(qid) \(TerminalText.quoted(w))")
                        }
                    }
                }
                if evidence.isEmpty {
                    notes.add(.warning, "questions whose evidence names no turn, not imported", example: qid)
                    continue
                }
                let relevant = Set(items.filter { !$0.turns.isDisjoint(with: evidence) }.map(\.id))
                if relevant.isEmpty {
                    notes.add(.warning, "questions whose evidence turns no \(kind == .observations ? "observation cites" : "item covers"), not imported", example: qid)
                    continue
                }
                // The first stage: (item, score) in ranked order.
                var ranked: [(Item, Double)]
                if let run {
                    guard let lines = run[qid] else {
                        notes.add(.warning, "questions with no line in the run, not imported (nothing to rerank)", example: qid)
                        continue
                    }
                    let ordered = lines.sorted { a, b in a.score != b.score ? a.score > b.score : Ranker.trecIDOrder(a.docID, b.docID) }
                    ranked = []
                    for l in ordered {
                        guard let item = byID[l.docID] else {
                            issues.append(InputIssue(file: runPath, line: l.line, field: "docid", message: "\(TerminalText.quoted(l.docID)) is not one of the \(kind.rawValue) of \(TerminalText.quoted(conv.sampleID)); \(kind.rawValue) ids look like \(Self.idExample(kind)) (import the same kind of candidates the run was made for)"))
                            continue
                        }
                        ranked.append((item, l.score))
                    }
                    if let depth { ranked = Array(ranked.prefix(depth)) }
                } else {
                    let scored = items.enumerated().map { (i, item) in (i, item, scorer.bm25(query: qa.question, document: counts[i])) }
                    // Ties keep conversation order, so the import is the same on every run.
                    ranked = scored.sorted { $0.2 != $1.2 ? $0.2 > $1.2 : $0.0 < $1.0 }.map { ($0.1, $0.2) }
                    ranked = Array(ranked.prefix(depth ?? Self.defaultBM25Depth))
                }
                let candidates = ranked.enumerated().map { i, pair in
                    Candidate(id: pair.0.id, text: pair.0.text, relevance: relevant.contains(pair.0.id) ? 1 : 0, firstStageScore: pair.1, fileIndex: i)
                }
                let pool = Set(candidates.map(\.id))
                // Only relevant items outside the pool are written: a 0 outside the pool changes
                // neither R nor IDCG, and listing every turn would bloat each line by hundreds.
                let judgments = Dictionary(uniqueKeysWithValues: relevant.subtracting(pool).map { ($0, 1) })
                queries.append(Query(id: qid, text: qa.question, userID: conv.sampleID, candidates: candidates, judgments: judgments))
            }
        }
        if !issues.isEmpty {
            throw InputError(issues: Array(issues.prefix(20)), moreCount: max(0, issues.count - 20))
        }
        if let run {
            for qid in run.keys.sorted() where !knownQueryIDs.contains(qid) {
                notes.add(.warning, "run queries that name no question of the file, ignored", example: TerminalText.quoted(qid))
            }
        }
        if queries.isEmpty {
            throw InputError(file: path, message: "no question could be imported (\(notes.notes.map(\.description).joined(separator: "; ")))")
        }
        return ImportedDataset(queries: queries, notes: notes.notes)
    }

    /// The candidate items of a conversation, in conversation order.
    static func items(of conv: LoCoMoConversation, kind: CandidateKind) -> [Item] {
        // The session date goes in front of turns and observations: LoCoMo's temporal questions
        // ("When did ...") are answerable only with it, as mem0 keeps it with each memory.
        func dated(_ session: Int, _ text: String) -> String {
            conv.dates[session].map { "[\($0)] \(text)" } ?? text
        }
        switch kind {
        case .turns:
            return conv.turns.map { t in
                var text = t.speaker.isEmpty ? t.text : "\(t.speaker): \(t.text)"
                // An image turn's words often only make sense with the picture; its caption is
                // the only trace of it in text.
                if let caption = t.caption, !caption.isEmpty { text += " [shares \(caption)]" }
                return Item(id: t.diaID, text: dated(t.session, text), turns: [t.diaID], session: t.session)
            }
        case .observations:
            let turnIDs = Dictionary(conv.turns.map { (canonical($0.diaID), $0.diaID) }, uniquingKeysWith: { a, _ in a })
            return conv.observations.map { o in
                var cited = Set<String>()
                for written in o.diaIDs {
                    for token in LoCoMoEvidence.tokens(written) {
                        switch token {
                        case let .exact(id): if let t = turnIDs[id] { cited.insert(t) }
                        case let .lenient(_, id): if let t = turnIDs[id] { cited.insert(t) }
                        case .unreadable: break
                        }
                    }
                }
                return Item(id: o.id, text: dated(o.session, o.text), turns: cited, session: o.session)
            }
        case .summaries:
            return conv.summaries.map { s in
                Item(id: s.id, text: s.text, turns: Set(conv.turns.filter { $0.session == s.session }.map(\.diaID)), session: s.session)
            }
        }
    }

    static func canonical(_ diaID: String) -> String {
        switch LoCoMoEvidence.read(diaID) {
        case let .exact(id): return id
        case let .lenient(_, id): return id
        case .unreadable: return diaID
        }
    }

    static func idExample(_ kind: CandidateKind) -> String {
        switch kind {
        case .turns: return "D1:3"
        case .observations: return "O1:4"
        case .summaries: return "S1"
        }
    }
}
