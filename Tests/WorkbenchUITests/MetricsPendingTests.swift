import Foundation
import RerankKit
import RerankTestSupport
import Testing
@testable import WorkbenchUI

/// Issue 16 part 5: a file's queries are listed as soon as it is read, and their first-stage
/// metrics (the report of no results) follow from the background. Meanwhile no number is
/// shown, keys answer, what needs the numbers waits, and whatever happened in between (a run,
/// a label edit, a setting, a restored session) ends in the report a synchronous load gives.
@Suite struct MetricsPendingTests {
    func press(_ state: inout WorkbenchState, _ keys: Key...) -> [Effect] { WorkbenchFixtures.press(&state, keys) }

    func fresh() -> WorkbenchState {
        WorkbenchState(width: 120, height: 40, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
    }

    /// The state as the shell leaves it when the file is read; the request to measure it.
    func read(_ s: inout WorkbenchState) throws -> Request {
        try #require(measureRequest(WorkbenchReducer.reduce(&s, .datasetRead(try WorkbenchFixtures.dataset()))))
    }

    /// A request to measure (`Effect.measureUnrun`), and its report as the shell hands it in.
    struct Request {
        var builder: RunReportBuilder
        var ticket: Int
        var measured: Action { .unrunMeasured(LiveReport(builder: builder), ticket: ticket) }
    }

    func measureRequest(_ effects: [Effect]) -> Request? {
        for case let .measureUnrun(builder, ticket) in effects { return Request(builder: builder, ticket: ticket) }
        return nil
    }

    /// What a synchronous load of the same state shows: the report built from every result.
    func expectedReport(_ s: WorkbenchState) -> RunReport { s.reportBuilder!.build(results: s.results) }

    @Test func anUnmeasuredQueryListsWhatItsReportOfNoResultsWill() throws {
        let d = try WorkbenchFixtures.dataset()
        for topK in [nil, 3] {
            var settings = RunSettings()
            settings.topK = topK
            let builder = RunReportBuilder(dataset: d, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
            for q in d.queries {
                let measured = builder.queryPart(q, results: [:], cached: []).report
                let listed = builder.unmeasuredReport(q)
                #expect(listed.candidates == measured.candidates, "\(q.id), top_k \(String(describing: topK))")
                #expect(listed.queryID == measured.queryID && listed.query == measured.query && listed.judged == measured.judged)
                #expect(listed.relevantInPool == measured.relevantInPool && listed.relevantOutsidePool == measured.relevantOutsidePool)
                #expect(listed.baseline.values.isEmpty && listed.reranked.values.isEmpty && listed.ceiling == nil, "no metric")
            }
        }
    }

    @Test func theQueriesShowBeforeTheirMetricsAndNoNumberMeanwhile() throws {
        var s = fresh()
        let request = try read(&s)
        #expect(s.report == nil && s.metricsPending)
        #expect(s.visibleQueries.map(\.queryID) == s.dataset!.queries.map(\.id))
        _ = WorkbenchReducer.reduce(&s, .tick(now: 2.5))
        let screen = WorkbenchView.render(s).text
        #expect(screen.contains("Measuring the first-stage metrics of \(s.dataset!.queries.count) queries"), "\(screen)")
        #expect(screen.contains("q1: first-stage metrics being measured (2 s so far)") || screen.contains(": first-stage metrics being measured (2 s so far)"))
        // (The Metrics pane's table rows start at its border: "│MAP     0.5123 ...".)
        #expect(!screen.contains("n/a") && !screen.contains("│MAP ") && !screen.contains("pool R"), "no metric, made up or zero, before it is measured")
        // The memories of the selected query are listed, with their texts.
        let first = s.dataset!.queries[0]
        #expect(screen.contains("4 Results: \(first.id)"))
        #expect(screen.contains(first.candidates[0].id))

        _ = WorkbenchReducer.reduce(&s, request.measured)
        #expect(s.measuring == nil && !s.metricsPending)
        let report = try #require(s.report)
        let expected = expectedReport(s)
        #expect(report.queries == expected.queries && report.baselineMean == expected.baselineMean && report.counts == expected.counts)
        let after = WorkbenchView.render(s).text
        #expect(!after.contains("being measured") && after.contains("pool R") && after.contains("│MAP "))
    }

    @Test func keysAnswerAndWhatNeedsTheNumbersWaits() async throws {
        var s = fresh()
        let request = try read(&s)
        s.pinned = try await WorkbenchFixtures.ranState(width: 120, height: 40).report
        // Moving through the queries and their memories.
        _ = press(&s, .char("j"), .char("j"))
        let third = s.dataset!.queries[2].id
        #expect(s.selectedQuery?.queryID == third)
        _ = press(&s, .enter, .char("j"))
        #expect(s.focus == .results && s.resultCursor == 1)
        _ = press(&s, .enter)
        #expect(s.modals.last == .detail(scroll: 0))
        #expect(WorkbenchView.render(s).text.contains("Memory \(s.dataset!.queries[2].candidates[1].id)"))
        _ = press(&s, .escape)
        _ = press(&s, .backTab)
        // A metric sort waits for the metrics and says so; the selection stays on its query.
        _ = press(&s, .char("s"))
        #expect(s.querySort == .delta && s.sortWaitsForMetrics)
        #expect(s.status.contains("once the first-stage metrics are measured"))
        #expect(s.visibleQueries.map(\.queryID) == s.dataset!.queries.map(\.id), "file order until then")
        #expect(WorkbenchView.render(s).text.contains("sort: delta (once measured)"))
        _ = press(&s, .char("j"), .char("j"), .char("j"))
        let chosen = try #require(s.selectedQuery?.queryID)
        // Pin, compare, diff and calibration need numbers: they wait, and say why.
        for key in ["p", "c", "d", "C"] {
            #expect(press(&s, .char(Character(key))).isEmpty)
            #expect(s.status.contains("still being measured"), "\(key): \(s.status)")
            #expect(s.modals.isEmpty)
        }
        _ = WorkbenchReducer.reduce(&s, request.measured)
        #expect(!s.sortWaitsForMetrics)
        #expect(s.visibleQueries.map(\.queryID) == BigDataTests().expectedOrder(s), "sorted by delta once measured")
        #expect(s.selectedQuery?.queryID == chosen, "the selected query stays selected")
    }

    @Test func aRunStartedBeforeTheMetricsGetsThemWithItsResults() async throws {
        var s = fresh()
        let request = try read(&s)
        let results = try await WorkbenchFixtures.lexicalResults(try WorkbenchFixtures.state(width: 120, height: 40))
        #expect(press(&s, .char("r")).contains { if case .startRun = $0 { return true } else { return false } })
        _ = WorkbenchReducer.reduce(&s, .runStarted(total: results.count, now: 0))
        let third = results.count / 3
        _ = WorkbenchReducer.reduce(&s, .runProgress(Array(results[..<third]), retries: 0, lastError: nil))
        #expect(s.report == nil && s.results.count == third, "results are kept, no report is made here")
        #expect(WorkbenchView.render(s).text.contains("answered calls are kept"))
        // The report arrives mid-run: it has the run's results so far, and the run goes on live.
        _ = WorkbenchReducer.reduce(&s, request.measured)
        #expect(s.live != nil)
        #expect(s.report?.queries == expectedReport(s).queries)
        #expect(s.report?.promptHash == s.currentPrompt.textHash)
        _ = WorkbenchReducer.reduce(&s, .runProgress(Array(results[third...]), retries: 0, lastError: nil))
        _ = WorkbenchReducer.reduce(&s, .runFinished(stopReason: nil, elapsed: 2))
        let done = try #require(s.report)
        #expect(done.queries == expectedReport(s).queries && done.counts.notRun == 0 && done.elapsed == 2)
        #expect(s.scoresByLabel == ScoresByLabel(s.report))
    }

    @Test func aRunThatEndsBeforeTheMetricsKeepsHowItEnded() async throws {
        var s = fresh()
        let request = try read(&s)
        let results = try await WorkbenchFixtures.lexicalResults(try WorkbenchFixtures.state(width: 120, height: 40))
        _ = press(&s, .char("r"))
        _ = WorkbenchReducer.reduce(&s, .runStarted(total: results.count, now: 0))
        _ = WorkbenchReducer.reduce(&s, .runProgress(Array(results.prefix(40)), retries: 0, lastError: nil))
        _ = WorkbenchReducer.reduce(&s, .runFinished(stopReason: .cancelled, elapsed: 0.5))
        #expect(s.report == nil && !s.isRunning)
        _ = WorkbenchReducer.reduce(&s, request.measured)
        let report = try #require(s.report)
        #expect(report.stopReason == .cancelled && report.elapsed == 0.5)
        #expect(report.queries == expectedReport(s).queries)
        #expect(s.partialLabel == "partial (40/\(report.counts.planned) pairs)")
    }

    @Test func aRunThatFinishesBeforeTheMetricsIsToldWithItsNumbersWhenTheyArrive() async throws {
        var s = fresh()
        let request = try read(&s)
        let results = try await WorkbenchFixtures.lexicalResults(try WorkbenchFixtures.state(width: 120, height: 40))
        _ = press(&s, .char("r"))
        _ = WorkbenchReducer.reduce(&s, .runStarted(total: results.count, now: 0))
        _ = WorkbenchReducer.reduce(&s, .runProgress(results, retries: 0, lastError: nil))
        _ = WorkbenchReducer.reduce(&s, .runFinished(stopReason: nil, elapsed: 3))
        #expect(s.status == "done in 3.0 s; its numbers show once the first-stage metrics are measured")
        _ = WorkbenchReducer.reduce(&s, request.measured)
        let report = try #require(s.report)
        #expect(report.complete && report.elapsed == 3 && report.queries == expectedReport(s).queries)
        let m = s.settings.metrics.primaryMetric
        #expect(s.status.hasPrefix("done in 3.0 s: \(m.heading) \(report.rerankedMean[m]!.formatted(decimals: 4))"), "\(s.status)")
    }

    @Test func aReportOfLabelsOrSettingsSinceChangedIsMeasuredAgain() throws {
        var s = fresh()
        let first = try read(&s)
        // A label edited while measuring: the report measured before it is not taken.
        s.focus = .results
        let old = try #require(s.selectedCandidate?.label)
        _ = press(&s, .char(old == 2 ? "0" : "2"))
        #expect(s.labels.isDirty && s.metricsPending)
        let again = try #require(measureRequest(WorkbenchReducer.reduce(&s, first.measured)))
        #expect(s.report == nil && s.metricsPending, "the stale report is not shown")
        #expect(again.builder.dataset.queries == s.reportBuilder!.dataset.queries)
        // A setting that scores, changed while that one is measured: measured once more.
        s.settings.topK = 3
        WorkbenchReducer.rebuildReport(&s)
        let third = try #require(measureRequest(WorkbenchReducer.reduce(&s, again.measured)))
        #expect(third.builder.settings.topK == 3)
        #expect(WorkbenchReducer.reduce(&s, third.measured).isEmpty)
        #expect(s.report?.queries == expectedReport(s).queries)
        // Once taken, a late report (of a request since replaced) changes nothing.
        let shown = s.report?.queries
        _ = WorkbenchReducer.reduce(&s, first.measured)
        #expect(s.report?.queries == shown)
    }

    /// A session's unsaved label edits and its sort are put back on the file: the metrics are
    /// measured with the restored labels, and the sort applies once they arrive.
    @Test func aRestoredSessionIsMeasuredWithItsLabelsAndSort() throws {
        let d = try WorkbenchFixtures.dataset()
        let q = d.queries[1], c = q.candidates[0]
        let change = LabelChange(key: LabelKey(queryID: q.id, memoryID: c.id), old: c.relevance, new: c.relevance == 2 ? 0 : 2)
        var s = fresh()
        s.querySort = .ndcg
        s.labelsToRestore = PendingLabelEdits(path: d.path, changes: [change])
        let request = try read(&s)
        #expect(s.labels.isDirty)
        #expect(request.builder.dataset.label(change.key) == change.new, "measured with the restored label")
        #expect(s.visibleQueries.map(\.queryID) == d.queries.map(\.id))
        _ = WorkbenchReducer.reduce(&s, request.measured)
        #expect(s.report?.queries == expectedReport(s).queries)
        #expect(s.visibleQueries.map(\.queryID) == BigDataTests().expectedOrder(s))
    }

    /// Another file opened while one is measured: the first one's report is not taken for it.
    @Test func anotherFileReplacesTheOneBeingMeasured() throws {
        var s = fresh()
        let request = try read(&s)
        var other = try WorkbenchFixtures.dataset()
        other.queries.removeLast()
        other.contentHash = "other"
        let effects = WorkbenchReducer.reduce(&s, .datasetRead(other))
        let second = try #require(measureRequest(effects))
        #expect(measureRequest(WorkbenchReducer.reduce(&s, request.measured)) == nil,
                "not asked again: the request for this file is still out")
        #expect(s.report == nil && s.metricsPending)
        _ = WorkbenchReducer.reduce(&s, second.measured)
        #expect(s.report?.queries.count == other.queries.count)
    }
}
