import Foundation
import RerankKit
import RerankTestSupport
import Testing
@testable import WorkbenchUI

/// Issue 16 part 5: what the screen derives from the report (the Queries pane's order, the
/// histogram, the calibration) is kept with the state and brought up to date by every change
/// it depends on, never left stale; a file still being read has a screen of its own.
@Suite struct BigDataTests {
    func press(_ state: inout WorkbenchState, _ keys: Key...) -> [Effect] { WorkbenchFixtures.press(&state, keys) }

    /// The order the Queries pane must show, computed from scratch: the report's queries
    /// filtered by id or text, then sorted stably by the key of the sort.
    func expectedOrder(_ s: WorkbenchState) -> [String] {
        var list = s.report?.queries ?? []
        if !s.filter.isEmpty {
            let f = s.filter.lowercased()
            list = list.filter { $0.queryID.lowercased().contains(f) || $0.query.lowercased().contains(f) }
        }
        let m = s.settings.metrics.primaryMetric
        let keyed = list.enumerated().map { i, q -> (Int, QueryReport, Double) in
            switch s.querySort {
            case .delta: return (i, q, q.delta(m) ?? 0)
            case .ndcg: return (i, q, q.reranked[m] ?? 0)
            case .file, .id: return (i, q, 0)
            }
        }
        switch s.querySort {
        case .file: return list.map(\.queryID)
        case .id: return list.map(\.queryID).sorted()
        case .delta, .ndcg: return keyed.sorted { ($0.2, $0.0) < ($1.2, $1.0) }.map(\.1.queryID)
        }
    }

    @Test func theQueriesOrderFollowsTheRunAsItStreamsIn() async throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        let results = try await WorkbenchFixtures.lexicalResults(s)
        _ = press(&s, .char("s"))
        #expect(s.querySort == .delta)
        let fileOrder = s.report!.queries.map(\.queryID)
        // Before any score every delta is 0: file order.
        #expect(s.visibleQueries.map(\.queryID) == fileOrder)
        _ = press(&s, .char("r"))
        _ = WorkbenchReducer.reduce(&s, .runStarted(total: results.count, now: 0))
        // Half the run, then the rest: after each batch the list is sorted by the new deltas.
        let half = results.count / 2
        _ = WorkbenchReducer.reduce(&s, .runProgress(Array(results[..<half]), retries: 0, lastError: nil))
        let midway = s.visibleQueries.map(\.queryID)
        #expect(midway == expectedOrder(s))
        #expect(midway != fileOrder, "the scores that arrived must move queries")
        _ = WorkbenchReducer.reduce(&s, .runProgress(Array(results[half...]), retries: 0, lastError: nil))
        #expect(s.visibleQueries.map(\.queryID) == expectedOrder(s))
        #expect(s.visibleQueries.map(\.queryID) != midway)
        _ = WorkbenchReducer.reduce(&s, .runFinished(stopReason: nil, elapsed: 1))
        #expect(s.visibleQueries.map(\.queryID) == expectedOrder(s))
    }

    @Test func theQueriesOrderFollowsTheSortTheFilterAndTheMetric() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        for _ in QuerySort.allCases {
            _ = press(&s, .char("s"))
            #expect(s.visibleQueries.map(\.queryID) == expectedOrder(s), "sort \(s.querySort)")
        }
        while s.querySort != .ndcg { _ = press(&s, .char("s")) }
        _ = press(&s, .char("/"), .char("m"), .char("e"))
        let filtered = s.visibleQueries.map(\.queryID)
        #expect(filtered == expectedOrder(s))
        #expect(filtered.count < s.report!.queries.count && !filtered.isEmpty)
        _ = press(&s, .backspace)
        #expect(s.visibleQueries.map(\.queryID) == expectedOrder(s))
        _ = press(&s, .escape)
        #expect(s.visibleQueries.count == s.report!.queries.count)

        // The report holds NDCG at 1 and at 10; the primary metric is the last cutoff. A change
        // of it alone (no new report) must re-sort by the new metric.
        s.settings.metrics.cutoffs = [1, 10]
        WorkbenchReducer.rebuildReport(&s)
        let byTen = s.visibleQueries.map(\.queryID)
        #expect(byTen == expectedOrder(s))
        s.settings.metrics.cutoffs = [10, 1]
        #expect(s.settings.metrics.primaryMetric == .ndcgAt(1))
        #expect(s.visibleQueries.map(\.queryID) == expectedOrder(s))
        #expect(s.visibleQueries.map(\.queryID) != byTen, "NDCG@1 orders these queries differently")
    }

    @Test func theSelectionAndLabelEditsUseTheShownOrder() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        _ = press(&s, .char("s"))
        _ = press(&s, .char("j"), .char("j"))
        #expect(s.selectedQuery?.queryID == expectedOrder(s)[2])
        // A label edit rebuilds the report: the histogram and the order follow it.
        s.focus = .results
        let before = s.scoresByLabel
        _ = press(&s, .char(s.selectedCandidate?.label == 2 ? "0" : "2"))
        #expect(s.scoresByLabel == ScoresByLabel(s.report))
        #expect(s.scoresByLabel != before, "a label moved from one row of the histogram to another")
        #expect(s.visibleQueries.map(\.queryID) == expectedOrder(s))
    }

    @Test func theHistogramIsTheReportsScoresByLabel() async throws {
        let s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        var byLabel: [Int: [Double]] = [:]
        for q in s.report!.queries { for c in q.candidates { if let score = c.score, let label = c.label { byLabel[label, default: []].append(score) } } }
        #expect(Set(s.scoresByLabel.rows.keys) == Set(byLabel.keys))
        for (label, scores) in byLabel {
            let row = try #require(s.scoresByLabel.rows[label])
            #expect(row.count == scores.count)
            #expect(abs(row.mean - scores.reduce(0, +) / Double(scores.count)) < 1e-9)
            for bins in [10, 5] {
                var counts = [Int](repeating: 0, count: bins)
                for x in scores { counts[min(bins - 1, max(0, Int(x * Double(bins))))] += 1 }
                #expect(row.bins(bins) == counts, "label \(label), \(bins) bins")
            }
        }
    }

    @Test func theCalibrationIsMadeOncePerReportAndNeverStale() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        #expect(s.calibrationCache == nil, "nothing is made for a view not open")
        _ = press(&s, .char("C"))
        let made = try #require(s.calibrationCache)
        #expect(made.version == s.reportVersion)
        #expect(made.value == ScoreCalibration(s.report!))
        // A label edit changes the report: the open view's calibration is made again.
        _ = press(&s, .escape)
        s.focus = .results
        _ = press(&s, .char(s.selectedCandidate?.label == 2 ? "0" : "2"))
        _ = press(&s, .char("C"))
        #expect(s.calibrationCache?.version == s.reportVersion)
        #expect(s.calibrationCache?.value == ScoreCalibration(s.report!))
        #expect(s.calibrationCache?.value != made.value)
        // Without the reducer (a state set by hand) the view still reads the report's own.
        s.report?.queries.removeLast()
        #expect(s.calibration == ScoreCalibration(s.report!))
    }

    /// The frame that ends a run takes the live report as it stands: the same numbers as a
    /// rebuild from every result.
    @Test func theEndOfARunKeepsTheLiveReportsNumbers() async throws {
        let s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        var rebuilt = s
        WorkbenchReducer.rebuildReport(&rebuilt)
        let a = try #require(s.report), b = try #require(rebuilt.report)
        #expect(a.queries == b.queries)
        #expect(a.baselineMean == b.baselineMean && a.rerankedMean == b.rerankedMean)
        #expect(a.counts == b.counts && a.ceilingMean == b.ceilingMean && a.poolRecallMean == b.poolRecallMean)
        #expect(a.elapsed == 1.25 && a.stopReason == nil)
        #expect(s.live == nil, "nothing of the run is kept once it ended")
    }

    @Test func aFileBeingReadHasItsScreenAndKeysThatWait() throws {
        var s = WorkbenchState(width: 120, height: 40, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
        _ = WorkbenchReducer.reduce(&s, .datasetLoading(DatasetLoading(path: "big.jsonl", bytes: 87_405_898, startedAt: 100)))
        _ = WorkbenchReducer.reduce(&s, .tick(now: 103.4))
        let screen = WorkbenchView.render(s).text
        #expect(screen.contains("Loading big.jsonl (87 MB): 3 s"), "\(screen)")
        #expect(screen.contains("loading big.jsonl…"))
        // A run waits for the queries; help and the editor answer.
        #expect(press(&s, .char("r")).isEmpty)
        #expect(s.status.contains("big.jsonl is still loading (3 s so far)"))
        _ = press(&s, .char("?"))
        #expect(s.modals.last == .help(scroll: 0))
        _ = press(&s, .escape)
        _ = WorkbenchReducer.reduce(&s, .datasetLoaded(try WorkbenchFixtures.dataset()))
        #expect(s.loading == nil)
        #expect(!WorkbenchView.render(s).text.contains("loading big.jsonl"))
        #expect(press(&s, .char("r")).contains { if case .startRun = $0 { return true } else { return false } })

        var failed = WorkbenchState(width: 80, height: 24, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
        _ = WorkbenchReducer.reduce(&failed, .datasetLoading(DatasetLoading(path: "bad.jsonl", bytes: 10, startedAt: 0)))
        _ = WorkbenchReducer.reduce(&failed, .datasetFailed("bad.jsonl line 1: not JSON"))
        #expect(failed.loading == nil)
        #expect(failed.modals.last == .message(title: "Cannot load the dataset", body: "bad.jsonl line 1: not JSON"))
    }

    /// A run's batches count only the queries they touched into the histogram: after each one
    /// it is the count of the whole report, exactly.
    @Test func theHistogramFollowsARunBatchByBatch() async throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        let results = try await WorkbenchFixtures.lexicalResults(s)
        _ = press(&s, .char("r"))
        _ = WorkbenchReducer.reduce(&s, .runStarted(total: results.count, now: 0))
        var i = 0
        while i < results.count {
            _ = WorkbenchReducer.reduce(&s, .runProgress(Array(results[i..<min(results.count, i + 37)]), retries: 0, lastError: nil))
            i += 37
            #expect(s.scoresByLabel == ScoresByLabel(s.report), "after \(i) results")
        }
        #expect(s.scoresByLabel.rows.values.map(\.count).reduce(0, +) > 0)
        _ = WorkbenchReducer.reduce(&s, .runFinished(stopReason: nil, elapsed: 1))
        #expect(s.scoresByLabel == ScoresByLabel(s.report))
    }

    /// The report of no results made beside the file's reading is taken only if the settings
    /// it was made for still hold; a run's start reuses it under the run's own prompt.
    @Test func theReportMadeInTheBackgroundIsTakenOnlyIfItStillFits() throws {
        let d = try WorkbenchFixtures.dataset()
        var s = WorkbenchState(width: 120, height: 40, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
        let made = LiveReport(builder: try #require(s.unrunBuilder(opening: d)))
        var kept = s
        _ = WorkbenchReducer.reduce(&kept, .datasetLoaded(d, unrun: made))
        func fresh(_ s: WorkbenchState) -> RunReport { s.reportBuilder!.build(results: []) }
        #expect(kept.report?.queries == fresh(kept).queries)
        // top_k changed while the file was read: the report made before is not the one to show.
        s.settings.topK = 3
        _ = WorkbenchReducer.reduce(&s, .datasetLoaded(d, unrun: made))
        #expect(s.report?.queries == fresh(s).queries)
        #expect(s.report?.queries != made.report(stopReason: nil, elapsed: 0).queries)
        // r reuses the report of no results, named by the edited prompt it runs.
        s.editor = TextEditor(text: BuiltinPrompts.mem0SystemPrompt.text + "\nBe strict.")
        _ = press(&s, .char("r"))
        #expect(s.report?.promptHash == s.currentPrompt.textHash)
        #expect(s.report?.queries == fresh(s).queries)
    }

    @Test func theDatasetIndexFindsAQuerysMemories() throws {
        let s = try WorkbenchFixtures.state(width: 120, height: 40)
        let q = s.dataset!.queries[7]
        #expect(s.datasetIndex.query(q.id)?.text == q.text)
        #expect(s.datasetIndex.texts(q.id) == Dictionary(q.candidates.map { ($0.id, $0.text) }, uniquingKeysWith: { a, _ in a }))
        #expect(s.datasetIndex.query("no such query") == nil)
    }
}
