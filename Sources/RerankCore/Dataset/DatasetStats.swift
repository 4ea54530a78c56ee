/// What a dataset holds, before anything is run on it: sizes, labels, how much the first stage
/// found, ties that make the baseline order arbitrary, and texts mem0 would cut.
public struct DatasetStats: Sendable, Equatable, Codable {
    /// Smallest, median and largest of a set of counts (all 0 for an empty set).
    public struct Spread: Sendable, Equatable, Codable {
        public var min: Int
        public var median: Double
        public var max: Int

        public init(min: Int, median: Double, max: Int) {
            self.min = min
            self.median = median
            self.max = max
        }

        init(_ values: [Int]) {
            let sorted = values.sorted()
            min = sorted.first ?? 0
            max = sorted.last ?? 0
            if sorted.isEmpty {
                median = 0
            } else if sorted.count % 2 == 1 {
                median = Double(sorted[sorted.count / 2])
            } else {
                median = Double(sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            }
        }
    }

    /// A text longer than mem0's cut.
    public struct LongText: Sendable, Equatable, Codable {
        public var queryID: String
        /// The candidate's id; nil when the query text itself is long.
        public var candidateID: String?
        /// Length in Unicode code points, the unit mem0 cuts in.
        public var length: Int

        public init(queryID: String, candidateID: String?, length: Int) {
            self.queryID = queryID
            self.candidateID = candidateID
            self.length = length
        }
    }

    /// mem0's LLM reranker sends each query and document cut to its first 4000 code points.
    public static let mem0Cut = 4000
    /// How many long texts are named (the count covers all).
    public static let exampleLimit = 5

    public var queries: Int
    public var candidates: Int
    public var candidatesPerQuery: Spread
    /// Candidates by label (`"0"`, `"1"`, ...); unjudged candidates are counted apart.
    public var candidateLabels: [String: Int]
    public var unjudgedCandidates: Int
    /// Labels of judged documents outside the pools (`judgments`).
    public var outsideLabels: [String: Int]
    /// Judged candidates / candidates.
    public var judgedShare: Double
    /// Label at or above which a document counts as relevant.
    public var relevanceThreshold: Int
    public var relevantInPools: Int
    /// Relevant documents judged, in the pools or not.
    public var relevantJudged: Int
    /// relevantInPools / relevantJudged over the whole dataset; nil when nothing relevant is judged.
    public var poolRecall: Double?
    /// The mean of each query's pool recall, over queries with a relevant judged document.
    public var meanPoolRecall: Double?
    /// Queries with no relevant candidate: a reranker cannot help them.
    public var nothingToRerank: Int
    /// Queries whose every candidate has a first-stage score.
    public var scoredQueries: Int
    /// Share of the scored queries' candidates whose first-stage score equals another candidate's
    /// of the same query: their baseline order is the file's, not the retriever's.
    public var tieShare: Double?
    public var queriesWithTies: Int
    public var candidateLength: Spread
    public var queryLength: Spread
    public var candidatesOverCut: Int
    public var queriesOverCut: Int
    /// The first few long texts, in file order.
    public var overCutExamples: [LongText]

    public init(_ dataset: Dataset, relevanceThreshold: Int = 1) {
        let qs = dataset.queries
        queries = qs.count
        candidates = dataset.candidateCount
        candidatesPerQuery = Spread(qs.map(\.candidates.count))
        var labels: [String: Int] = [:], outside: [String: Int] = [:]
        var unjudged = 0
        for q in qs {
            for c in q.candidates {
                if let r = c.relevance { labels[String(r), default: 0] += 1 } else { unjudged += 1 }
            }
            for (_, r) in q.judgments { outside[String(r), default: 0] += 1 }
        }
        candidateLabels = labels
        outsideLabels = outside
        unjudgedCandidates = unjudged
        judgedShare = candidates > 0 ? Double(candidates - unjudged) / Double(candidates) : 0
        self.relevanceThreshold = relevanceThreshold

        var inPools = 0, judged = 0, nothing = 0
        var recalls: [Double] = []
        for q in qs {
            let pool = q.candidates.filter { ($0.relevance ?? -1) >= relevanceThreshold }.count
            let all = pool + q.relevantOutsidePool(threshold: relevanceThreshold)
            inPools += pool
            judged += all
            if pool == 0 { nothing += 1 }
            if all > 0 { recalls.append(Double(pool) / Double(all)) }
        }
        relevantInPools = inPools
        relevantJudged = judged
        poolRecall = judged > 0 ? Double(inPools) / Double(judged) : nil
        meanPoolRecall = recalls.isEmpty ? nil : recalls.reduce(0, +) / Double(recalls.count)
        nothingToRerank = nothing

        var scored = 0, scoredCandidates = 0, tied = 0, withTies = 0
        for q in qs where !q.candidates.isEmpty && q.candidates.allSatisfy({ $0.firstStageScore != nil }) {
            scored += 1
            scoredCandidates += q.candidates.count
            var counts: [Double: Int] = [:]
            for c in q.candidates { counts[c.firstStageScore!, default: 0] += 1 }
            let t = counts.values.filter { $0 > 1 }.reduce(0, +)
            tied += t
            if t > 0 { withTies += 1 }
        }
        scoredQueries = scored
        tieShare = scoredCandidates > 0 ? Double(tied) / Double(scoredCandidates) : nil
        queriesWithTies = withTies

        // Code points, not Characters: mem0 cuts Python strings, which count code points.
        candidateLength = Spread(qs.flatMap { $0.candidates.map(\.text.unicodeScalars.count) })
        queryLength = Spread(qs.map(\.text.unicodeScalars.count))
        var long: [LongText] = []
        var longCandidates = 0, longQueries = 0
        for q in qs {
            let ql = q.text.unicodeScalars.count
            if ql > Self.mem0Cut {
                longQueries += 1
                if long.count < Self.exampleLimit { long.append(LongText(queryID: q.id, candidateID: nil, length: ql)) }
            }
            for c in q.candidates {
                let l = c.text.unicodeScalars.count
                guard l > Self.mem0Cut else { continue }
                longCandidates += 1
                if long.count < Self.exampleLimit { long.append(LongText(queryID: q.id, candidateID: c.id, length: l)) }
            }
        }
        candidatesOverCut = longCandidates
        queriesOverCut = longQueries
        overCutExamples = long
    }
}
