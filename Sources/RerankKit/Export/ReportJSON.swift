import Foundation

/// The machine-readable form of a run (`--format json`): every per-query and mean metric for the
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
        var queries: [QueryDocument]
    }

    struct PromptInfo: Encodable { var name: String; var sha256: String }
    struct DatasetInfo: Encodable { var path: String; var sha256: String; var queries: Int }
    struct Triple: Encodable { var baseline: QueryMetrics; var reranked: QueryMetrics; var delta: QueryMetrics }
    struct QueryDocument: Encodable {
        var queryId: String
        var query: String
        var judged: Bool
        var baseline: QueryMetrics
        var reranked: QueryMetrics
        var delta: QueryMetrics
        var tieNdcgBest: Double
        var tieNdcgWorst: Double
        var candidates: [CandidateOutcome]
    }

    public static func encode(_ report: RunReport) -> String {
        let doc = Document(
            settings: report.settings,
            prompt: PromptInfo(name: report.promptName, sha256: report.promptHash),
            dataset: DatasetInfo(path: report.datasetPath, sha256: report.datasetHash, queries: report.queries.count),
            providerIgnoresPrompt: report.providerIgnoresPrompt,
            counts: report.counts,
            complete: report.complete,
            mean: Triple(baseline: report.baselineMean, reranked: report.rerankedMean, delta: report.deltaMean),
            queries: report.queries.map { q in
                var delta: [MetricName: Double] = [:]
                for (name, r) in q.reranked.values { if let b = q.baseline[name] { delta[name] = r - b } }
                return QueryDocument(queryId: q.queryID, query: q.query, judged: q.judged, baseline: q.baseline,
                                     reranked: q.reranked, delta: QueryMetrics(values: delta),
                                     tieNdcgBest: q.primaryBestTies, tieNdcgWorst: q.primaryWorstTies, candidates: q.candidates)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = (try? encoder.encode(doc)) ?? Data("{}".utf8)
        // Foundation escapes C0 controls only; DEL, C1 and bidi controls from data are escaped too,
        // so the document is inert on a terminal and still parses to the same text.
        return JSONText.escapingInvisible(String(decoding: data, as: UTF8.self)) + "\n"
    }
}
