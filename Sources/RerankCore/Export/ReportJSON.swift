import Foundation

/// The machine-readable form of a run (the JSON format): every per-query and mean metric for the
/// baseline and reranked orders, their deltas, the settings used, and every candidate's outcome.
/// Keys are sorted so the output is byte-stable for the same inputs.
public enum ReportJSON {
    struct Document: Encodable {
        var tool = "rerank-eval"
        var schemaVersion = 1
        var settings: RunSettings
        var prompt: PromptInfo
        var dataset: DatasetInfo
        var providerIgnoresPrompt: Bool
        var counts: RunCounts
        var complete: Bool
        var mean: Triple
        /// Which judgments R and IDCG count: "all" (trec_eval) or "pool".
        var judged: String
        /// The queries evaluated: "dev", "test" or "all" on a file with a split; absent without one.
        var split: String?
        /// How many times this dataset's test split was evaluated (runs on test or all, and
        /// comparisons on test), when the report covers test queries; and the warning from the second look.
        var testLooks: Int?
        var testLooksWarning: String?
        var poolRecallMean: Double?
        var nothingToRerank: Int
        /// With two or more samples per pair: how alike the samples' own rankings are.
        var sampleStability: StabilityDocument?
        /// The score calibration: reliability bins, threshold cuts and any suggested cuts.
        var calibration: CalibrationDocument
        var queries: [QueryDocument]
    }

    /// `SampleStability` on the primary metric; `mean_sd` is the noise a comparison's "better" must exceed.
    struct StabilityDocument: Encodable {
        var samples: Int
        var metric: MetricName
        var meanKendallTau: Double?
        var tauQueries: Int
        var meanSd: Double?
        var maxSd: Double?
        var meanRange: Double?
        var queries: Int

        init(_ s: SampleStability) {
            (samples, metric, meanKendallTau, tauQueries) = (s.samples, s.metric, s.meanTau, s.tauQueries)
            (meanSd, maxSd, meanRange, queries) = (s.meanStandardDeviation, s.maxStandardDeviation, s.meanRange, s.queries)
        }
    }

    /// One query's samples: tau between them, the primary metric's spread over their rankings,
    /// and every metric of each sample's ranking.
    struct QueryStabilityDocument: Encodable {
        var meanKendallTau: Double?
        var tauPairs: Int
        var sd: Double?
        var min: Double?
        var max: Double?
        var sampleMetrics: [QueryMetrics]

        init(_ s: QuerySampleStability, metric: MetricName) {
            (meanKendallTau, tauPairs, sampleMetrics) = (s.meanTau, s.tauPairs, s.sampleMetrics)
            sd = s.standardDeviation(metric)
            (min, max) = (s.range(metric)?.min, s.range(metric)?.max)
        }
    }

    /// `ScoreCalibration` as JSON, with the words that say what was counted and how.
    struct CalibrationDocument: Encodable {
        struct BinDocument: Encodable {
            var lower: Double
            var upper: Double
            var pairs: Int
            var meanScore: Double?
            var meanLabel: Double?
            var shareRelevant: Double?
        }
        struct CutDocument: Encodable {
            var cut: Double
            var kept: Int
            var relevantKept: Int
            var keptPerQuery: Double
            var precision: Double?
            var recall: Double?
        }
        struct SuggestionDocument: Encodable {
            /// "precision" or "recall".
            var target: String
            var value: Double
            var rule: String
            /// False when no cut reaches the target; `cut` is then absent.
            var reached: Bool
            var cut: CutDocument?
        }
        var counted: String
        var relevanceThreshold: Int
        var pairs: Int
        var queries: Int
        var relevant: Int
        var leftOutUnscored: Int
        var leftOutUnjudged: Int
        /// Recall is against the pool; these relevant judgments outside it are not counted.
        var recallAgainst = "pool"
        var relevantOutsidePool: Int
        /// Precision and recall are pooled over queries.
        var averaging = "micro"
        var bins: [BinDocument]
        var cuts: [CutDocument]
        var suggestedCuts: [SuggestionDocument]

        init(_ c: ScoreCalibration, targets: [ScoreCalibration.Target]) {
            func doc(_ cut: ScoreCalibration.Cut) -> CutDocument {
                CutDocument(cut: cut.cut, kept: cut.kept, relevantKept: cut.relevantKept, keptPerQuery: cut.keptPerQuery,
                            precision: cut.precision, recall: cut.recall)
            }
            counted = c.countedNote
            relevanceThreshold = c.relevanceThreshold
            pairs = c.pairs.count
            queries = c.queryCount
            relevant = c.relevantCount
            leftOutUnscored = c.unscored
            leftOutUnjudged = c.unjudged
            relevantOutsidePool = c.relevantOutsidePool
            bins = c.bins.map { BinDocument(lower: $0.lower, upper: $0.upper, pairs: $0.pairs, meanScore: $0.meanScore,
                                            meanLabel: $0.meanLabel, shareRelevant: $0.shareRelevant) }
            cuts = c.cuts.map(doc)
            suggestedCuts = targets.map { t in
                let cut = c.suggestedCut(for: t)
                return SuggestionDocument(target: t.metricName, value: t.value, rule: t.rule, reached: cut != nil, cut: cut.map(doc))
            }
        }
    }

    struct PromptInfo: Encodable { var name: String; var sha256: String }
    struct DatasetInfo: Encodable { var path: String; var sha256: String; var queries: Int }
    struct Triple: Encodable {
        var baseline: QueryMetrics
        var reranked: QueryMetrics
        var delta: QueryMetrics
        /// The best any reordering of the pool reaches, and the share of the headroom above
        /// the first stage that the reranker took (absent where there is no headroom).
        var ceiling: QueryMetrics?
        var captured: QueryMetrics?
    }
    struct QueryDocument: Encodable {
        var queryId: String
        var query: String
        var judged: Bool
        var baseline: QueryMetrics
        var reranked: QueryMetrics
        var delta: QueryMetrics
        var tieNdcgBest: Double
        var tieNdcgWorst: Double
        var ceiling: QueryMetrics?
        var captured: QueryMetrics?
        var poolRecall: Double?
        var relevantInPool: Int?
        var relevantOutsidePool: Int?
        var nothingToRerank: Bool
        var sampleStability: QueryStabilityDocument?
        var candidates: [CandidateOutcome]
    }

    static func captured(_ names: [MetricName], _ share: (MetricName) -> Double?) -> QueryMetrics {
        var v: [MetricName: Double] = [:]
        for name in names { if let x = share(name) { v[name] = x } }
        return QueryMetrics(values: v)
    }

    /// `testLooks`: the store's count of looks at this dataset's test split, when the report covers test queries.
    /// `targets`: the suggested cuts asked for (`--target-precision`, `--target-recall`).
    public static func encode(_ report: RunReport, testLooks: Int? = nil, targets: [ScoreCalibration.Target] = []) -> String {
        let ranking = report.settings.metrics.rankingMetricNames
        let doc = Document(
            settings: report.settings,
            prompt: PromptInfo(name: report.promptName, sha256: report.promptHash),
            dataset: DatasetInfo(path: report.datasetPath, sha256: report.datasetHash, queries: report.queryCount),
            providerIgnoresPrompt: report.providerIgnoresPrompt,
            counts: report.counts,
            complete: report.complete,
            mean: Triple(baseline: report.baselineMean, reranked: report.rerankedMean, delta: report.deltaMean,
                         ceiling: report.ceilingMean, captured: report.ceilingMean.map { _ in captured(ranking, report.capturedShare) }),
            judged: report.settings.metrics.judged.rawValue,
            split: report.settings.split?.rawValue,
            testLooks: testLooks,
            testLooksWarning: testLooks.flatMap(TestLook.warning(count:)),
            poolRecallMean: report.poolRecallMean,
            nothingToRerank: report.nothingToRerankCount,
            sampleStability: SampleStability.of(report, metric: report.settings.metrics.primaryMetric).map(StabilityDocument.init),
            calibration: CalibrationDocument(ScoreCalibration(report), targets: targets),
            queries: report.queries.map { queryDocument($0, settings: report.settings) })
        return text(doc)
    }

    static func queryDocument(_ q: QueryReport, settings: RunSettings) -> QueryDocument {
        let ranking = settings.metrics.rankingMetricNames
        var delta: [MetricName: Double] = [:]
        for (name, r) in q.reranked.values { if let b = q.baseline[name] { delta[name] = r - b } }
        return QueryDocument(queryId: q.queryID, query: q.query, judged: q.judged, baseline: q.baseline,
                             reranked: q.reranked, delta: QueryMetrics(values: delta),
                             tieNdcgBest: q.primaryBestTies, tieNdcgWorst: q.primaryWorstTies,
                             ceiling: q.ceiling, captured: q.ceiling.map { _ in captured(ranking, q.capturedShare) },
                             poolRecall: q.poolRecall, relevantInPool: q.relevantInPool, relevantOutsidePool: q.relevantOutsidePool,
                             nothingToRerank: q.nothingToRerank,
                             sampleStability: q.sampleStability.map { QueryStabilityDocument($0, metric: settings.metrics.primaryMetric) },
                             candidates: q.candidates)
    }

    // MARK: JSON Lines

    /// One line of the JSON Lines format (`--format jsonl`): a query's document as in the JSON
    /// format, tagged `"type": "query"`. Written as each query finishes.
    public static func queryLine(_ q: QueryReport, settings: RunSettings) -> String {
        String(decoding: queryLineBytes(q, settings: settings), as: UTF8.self)
    }

    /// `queryLine` as UTF-8, for a writer of a million candidates' lines.
    public static func queryLineBytes(_ q: QueryReport, settings: RunSettings) -> [UInt8] {
        var writer = QueryLineWriter(capacity: 256 + 160 * q.candidates.count)
        writer.write(queryDocument(q, settings: settings), type: "query")
        return writer.bytes
    }

    /// The last line of the JSON Lines format: the run's settings, counts and means, tagged
    /// `"type": "summary"`. Built from running sums, so it holds no per-query calibration or
    /// sample stability (the JSON format, or `show RUN --format json`, has them).
    public static func summaryLine(_ report: RunReport, testLooks: Int? = nil) -> String {
        let ranking = report.settings.metrics.rankingMetricNames
        let summary = Summary(settings: report.settings, prompt: PromptInfo(name: report.promptName, sha256: report.promptHash),
                              dataset: DatasetInfo(path: report.datasetPath, sha256: report.datasetHash, queries: report.queryCount),
                              providerIgnoresPrompt: report.providerIgnoresPrompt, counts: report.counts, complete: report.complete,
                              mean: Triple(baseline: report.baselineMean, reranked: report.rerankedMean, delta: report.deltaMean,
                                           ceiling: report.ceilingMean, captured: report.ceilingMean.map { _ in captured(ranking, report.capturedShare) }),
                              judged: report.settings.metrics.judged.rawValue, split: report.settings.split?.rawValue,
                              testLooks: testLooks, testLooksWarning: testLooks.flatMap(TestLook.warning(count:)),
                              poolRecallMean: report.poolRecallMean, nothingToRerank: report.nothingToRerankCount,
                              stopReason: report.stopReason?.description, cost: report.cost)
        return text(Tagged(type: "summary", body: summary), pretty: false)
    }

    struct Summary: Encodable {
        var tool = "rerank-eval"
        var schemaVersion = 1
        var settings: RunSettings
        var prompt: PromptInfo
        var dataset: DatasetInfo
        var providerIgnoresPrompt: Bool
        var counts: RunCounts
        var complete: Bool
        var mean: Triple
        var judged: String
        var split: String?
        var testLooks: Int?
        var testLooksWarning: String?
        var poolRecallMean: Double?
        var nothingToRerank: Int
        var stopReason: String?
        var cost: Double?
    }

    /// A document with a `type` key beside its own keys.
    struct Tagged<Body: Encodable>: Encodable {
        var type: String
        var body: Body

        func encode(to encoder: any Encoder) throws {
            try body.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(type, forKey: .type)
        }

        enum Key: String, CodingKey { case type }
    }

    /// A report document as this tool writes JSON: pretty (one line when not), sorted snake_case
    /// keys, non-finite numbers as strings, and every invisible character escaped.
    static func text(_ doc: some Encodable, pretty: Bool = true) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = (try? encoder.encode(doc)) ?? Data("{}".utf8)
        // Foundation escapes C0 controls only; DEL, C1 and bidi controls from data are escaped too,
        // so the document is inert on a terminal and still parses to the same text.
        return JSONText.escapingInvisible(String(decoding: data, as: UTF8.self)) + "\n"
    }
}
