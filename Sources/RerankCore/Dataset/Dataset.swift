/// One first-stage result to be scored against its query.
public struct Candidate: Sendable, Hashable {
    public var id: String
    public var text: String
    /// The graded relevance label; `nil` when unjudged (absent or negative in the file).
    public var relevance: Int?
    /// The first-stage (vector search) score, when the file gives one.
    public var firstStageScore: Double?
    /// Position of the candidate in the file (0-based), kept for display.
    public var fileIndex: Int

    public init(id: String, text: String, relevance: Int? = nil, firstStageScore: Double? = nil, fileIndex: Int = 0) {
        self.id = id
        self.text = text
        self.relevance = relevance.flatMap { $0 >= 0 ? $0 : nil }
        self.firstStageScore = firstStageScore
        self.fileIndex = fileIndex
    }
}

/// A query with its candidates in first-stage (baseline) order.
public struct Query: Sendable, Hashable {
    public var id: String
    public var text: String
    public var userID: String?
    /// Candidates in baseline order: by first-stage score descending (stable) when every candidate
    /// has one, otherwise in file order.
    public var candidates: [Candidate]
    /// Labels of judged documents that are not candidates (the first stage missed them), by id.
    /// They count in R and IDCG, as trec_eval counts every judged document, retrieved or not.
    public var judgments: [String: Int]
    /// The 1-based line of the query in its file, for messages.
    public var line: Int
    /// The query's side of a held-out split (made by splitting the dataset), when the file has one.
    public var split: DatasetSplit?

    public init(id: String, text: String, userID: String? = nil, candidates: [Candidate], judgments: [String: Int] = [:], line: Int = 0,
                split: DatasetSplit? = nil) {
        self.id = id
        self.text = text
        self.userID = userID
        self.candidates = candidates
        self.judgments = judgments.filter { $0.value >= 0 }
        self.line = line
        self.split = split
    }

    /// Whether any candidate is judged relevant (label at or above `threshold`): the stratum a
    /// split balances, so dev and test hold the same share of queries with something to find.
    public func hasRelevantCandidate(threshold: Int = 1) -> Bool {
        candidates.contains { ($0.relevance ?? -1) >= threshold }
    }

    /// Whether any candidate carries a label.
    public var hasJudgments: Bool { candidates.contains { $0.relevance != nil } }

    /// Every judged label of the query that metrics count: the candidates' own, plus the
    /// judgments outside the pool unless `scope` is `.pool`.
    public func judgedLabels(_ scope: JudgedScope) -> [Int] {
        let pool = candidates.compactMap(\.relevance)
        switch scope {
        case .all: return pool + judgments.keys.sorted().map { judgments[$0]! }
        case .pool: return pool
        }
    }

    /// How many documents judged relevant (label at or above `threshold`) lie outside the pool.
    public func relevantOutsidePool(threshold: Int) -> Int {
        judgments.values.filter { $0 >= threshold }.count
    }

    /// Puts `candidates` (given in file order) into baseline order.
    public static func baselineOrder(_ candidates: [Candidate]) -> [Candidate] {
        guard !candidates.isEmpty, candidates.allSatisfy({ $0.firstStageScore != nil }) else { return candidates }
        // Swift's sort is not guaranteed stable, so the file index breaks ties explicitly.
        func precedes(_ a: Candidate, _ b: Candidate) -> Bool {
            let sa = a.firstStageScore!, sb = b.firstStageScore!
            if sa != sb { return sa > sb }
            return a.fileIndex < b.fileIndex
        }
        // First-stage results usually come in score order already: each before the next is the
        // only order the sort could give, and checking it is one pass instead of a sort.
        if candidates.indices.dropFirst().allSatisfy({ precedes(candidates[$0 - 1], candidates[$0]) }) { return candidates }
        return candidates.sorted(by: precedes)
    }
}

/// A labeled dataset: queries with first-stage candidates.
public struct Dataset: Sendable {
    /// The path it was read from (or a name for in-memory datasets).
    public var path: String
    public var queries: [Query]
    /// SHA-256 of the file's bytes, hex; identifies the exact data a run used.
    public var contentHash: String
    /// Problems that did not stop loading (for example queries with no judged candidate).
    public var warnings: [String]

    public init(path: String, queries: [Query], contentHash: String = "", warnings: [String] = []) {
        self.path = path
        self.queries = queries
        self.contentHash = contentHash
        self.warnings = warnings
    }

    public var candidateCount: Int { queries.reduce(0) { $0 + $1.candidates.count } }

    /// Judged documents outside the candidate pools, over all queries.
    public var outsidePoolJudgmentCount: Int { queries.reduce(0) { $0 + $1.judgments.count } }
}

/// Which judgments metrics count.
public enum JudgedScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every judged document of a query, in the pool or not (trec_eval's definitions; the default).
    case all
    /// Only the candidates' labels: how good the order is within the pool, ignoring what the
    /// first stage missed. Named as such in every output.
    case pool
}
