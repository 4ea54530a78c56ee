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
    /// The 1-based line of the query in its file, for messages.
    public var line: Int

    public init(id: String, text: String, userID: String? = nil, candidates: [Candidate], line: Int = 0) {
        self.id = id
        self.text = text
        self.userID = userID
        self.candidates = candidates
        self.line = line
    }

    /// Whether any candidate carries a label.
    public var hasJudgments: Bool { candidates.contains { $0.relevance != nil } }

    /// Puts `candidates` (given in file order) into baseline order.
    public static func baselineOrder(_ candidates: [Candidate]) -> [Candidate] {
        guard !candidates.isEmpty, candidates.allSatisfy({ $0.firstStageScore != nil }) else { return candidates }
        // Swift's sort is not guaranteed stable, so the file index breaks ties explicitly.
        return candidates.sorted { a, b in
            let sa = a.firstStageScore!, sb = b.firstStageScore!
            if sa != sb { return sa > sb }
            return a.fileIndex < b.fileIndex
        }
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
}
