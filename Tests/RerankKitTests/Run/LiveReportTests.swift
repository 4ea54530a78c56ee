import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// The workbench's live report: rebuilt a query at a time as batches arrive, it must equal the
/// report built from every result at once, to the bit.
@Suite struct LiveReportTests {
    func result(_ q: Query, _ c: Candidate, sample: Int = 0, text: String?) -> PairResult {
        PairResult(queryID: q.id, candidateID: c.id, sampleIndex: sample,
                   reply: text.map { ChatReply(text: $0, usage: TokenUsage(promptTokens: 10, completionTokens: 1)) },
                   error: text == nil ? "HTTP 500" : nil, errorKind: text == nil ? .http(status: 500) : nil, attempts: 1, latency: 0.01)
    }

    @Test func batchesInAnyOrderGiveTheReportOfAllResults() {
        let data = Fixtures.dataset(queries: 7, candidates: 6)
        let builder = RunReportBuilder(dataset: data, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
        var all: [PairResult] = []
        for q in data.queries {
            for c in q.candidates {
                let s = Fixtures.score(query: q.text, document: c.text)
                all.append(result(q, c, text: s < 0.1 ? nil : s.formatted(decimals: 3)))
            }
        }
        var rng = SystemRandomNumberGenerator()
        var shuffled = all.shuffled(using: &rng)
        // A failed pair asked again later: the second result replaces the first, as in a resume.
        let q = data.queries[2], c = q.candidates[1]
        shuffled.insert(result(q, c, text: nil), at: 0)
        var live = LiveReport(builder: builder)
        #expect(ReportJSON.encode(live.report(stopReason: nil, elapsed: 0)) == ReportJSON.encode(builder.build(results: [])))
        var seen: [PairResult] = []
        var i = 0
        while i < shuffled.count {
            let batch = Array(shuffled[i..<min(shuffled.count, i + 5)])
            i += 5
            live.add(batch)
            seen += batch
            #expect(ReportJSON.encode(live.report(stopReason: nil, elapsed: 0)) == ReportJSON.encode(builder.build(results: seen)))
        }
        let done = live.report(stopReason: nil, elapsed: 0)
        #expect(done.counts.notRun == 0 && done.counts.planned == 42)
    }
}
