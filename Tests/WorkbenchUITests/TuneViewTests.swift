import Foundation
import RerankKit
import RerankTestSupport
import Testing
@testable import WorkbenchUI

/// Issue 17 part 3: the Tune view. `t` asks with the estimate, then the tune runs in the
/// background and the view shows its lineage live, a candidate's critique and diff against its
/// parent, loads a candidate into the editor, and shows the test confirmation as a compare.
@Suite struct TuneViewTests {
    let directory = (#filePath as NSString).deletingLastPathComponent

    /// The split sample with an LLM provider chosen (a loopback-style vLLM endpoint: free).
    static func state(width: Int = 120, height: Int = 40) throws -> WorkbenchState {
        var state = try WorkbenchSplitTests.state(width: width, height: height)
        state.settings.provider = "vllm"
        state.settings.model = "tuner-model"
        state.settings.baseURL = "http://127.0.0.1:9/v1"
        return state
    }

    func press(_ state: inout WorkbenchState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += WorkbenchReducer.reduce(&state, .key(k)) }
        return effects
    }

    /// A round as the tuner reports it: four proposals of the start prompt, one discarded for
    /// its format, two eliminated by the halving, one accepted on dev; then the confirmation.
    static func lineage(start: String, confirmed: Bool) -> (events: [TuneEvent], final: TuneLineage) {
        var l = TuneLineage(start: ScoringPrompt(name: "s", mode: .system, text: start))
        var s = l.candidates[0]
        s.devMean = 0.61
        s.calls = 120
        l.update(s)
        func candidate(_ n: Int, _ status: TuneCandidate.Status, _ text: String, note: String? = nil, mini: Double? = nil, dev: Double? = nil, delta: Double? = nil, p: Double? = nil) -> TuneCandidate {
            var c = TuneCandidate(number: n, parent: 0, round: 1, variant: n - 1, text: text, critique: n == 1 ? "" : "Memories that share words outrank those that answer.",
                                  status: status, note: note, calls: status == .discarded ? 1 : 33)
            c.minibatchMean = mini
            c.devMean = dev
            c.devDelta = delta
            c.devP = p
            return c
        }
        let candidates = [
            candidate(1, .discarded, "", note: "no <prompt> block in the reply"),
            candidate(2, .eliminated, start + "\nBe brief.", note: "lower half on 8 dev queries", mini: 0.55),
            candidate(3, .eliminated, start + "\nUse the whole scale.", note: "lower half on 8 dev queries", mini: 0.58),
            candidate(4, .accepted, start.replacingOccurrences(of: "relevance", with: "usefulness") + "\nPut answers above word matches.",
                      mini: 0.8, dev: 0.83, delta: 0.22, p: 0.004),
        ]
        var events: [TuneEvent] = [.roundStarted(round: 1, parent: 0)]
        for c in candidates {
            events.append(.candidate(c))
            l.update(c)
        }
        l.best = 4
        l.roundsCompleted = 1
        l.calls = 225
        l.proposerCalls = 4
        events.append(.spent(calls: 225, cost: 0))
        let test = (0..<12).map { "t\($0)" }
        let a = (0..<12).map { 0.5 + Double($0 % 4) * 0.05 }
        let b = a.enumerated().map { $1 + (confirmed ? 0.2 : ($0 % 2 == 0 ? 0.05 : -0.04)) }
        let confirmation = TuneConfirmation(best: 4, comparison: PairedComparison(metric: .ndcgAt(10), queryIDs: test, a: a, b: b), startRunID: 7, bestRunID: 8)
        l.confirmation = confirmation
        l.finished = true
        events += [.confirmed(confirmation), .ended(l)]
        return (events, l)
    }

    static func started(width: Int = 120, height: Int = 40) throws -> (WorkbenchState, [Effect]) {
        var state = try Self.state(width: width, height: height)
        var effects = WorkbenchReducer.reduce(&state, .key(.char("t")))
        effects += WorkbenchReducer.reduce(&state, .key(.char("y")))
        return (state, effects)
    }

    @Test func tAsksWithTheEstimateAndOnlyYesStartsTheTuneOnDev() throws {
        var state = try Self.state()
        #expect(press(&state, .char("t")).isEmpty, "nothing starts before the answer")
        guard case let .confirm(.startTune(e))? = state.modals.last else {
            Issue.record("no question: \(state.modals)")
            return
        }
        let dev = state.dataset!.queries.filter { $0.split == .dev }
        #expect(e.devQueries == dev.count && e.testQueries == state.dataset!.queries.count - dev.count)
        let devCalls = dev.reduce(0) { $0 + $1.candidates.count }
        #expect(e.calls > devCalls, "the start prompt on dev, the rounds and the confirmation")
        let screen = WorkbenchView.render(state).text
        #expect(screen.contains("Start a tune?") && screen.contains("At most \(e.calls) calls"), "\(screen)")
        #expect(press(&state, .char("n")).isEmpty)
        #expect(state.tune == nil && state.modals.isEmpty)
        #expect(state.status.contains("no tune started"), "\(state.status)")

        let (started, effects) = try Self.started()
        guard let start = effects.first(where: { if case .startTune = $0 { true } else { false } }),
              case let .startTune(_, settings, prompt, tune) = start else {
            Issue.record("no startTune effect: \(effects)")
            return
        }
        #expect(settings.split == .dev && settings.provider == "vllm")
        #expect(prompt.text == started.editor.text)
        #expect(tune == TuneSettings(), "the command's defaults")
        #expect(started.tune?.running == true)
        #expect(started.modals.last == .tune(selection: 0, scroll: 0))
        #expect(WorkbenchView.render(started).text.contains("running: starting"))
    }

    @Test func whatATuneNeedsIsSaidInsteadOfStartingOne() throws {
        var noSplit = try WorkbenchFixtures.state(width: 120, height: 40)
        noSplit.settings.provider = "vllm"
        #expect(press(&noSplit, .char("t")).isEmpty && noSplit.modals.isEmpty)
        #expect(noSplit.statusIsError && noSplit.status.contains("rerank-eval split"), "\(noSplit.status)")

        var lexical = try WorkbenchSplitTests.state()
        #expect(press(&lexical, .char("t")).isEmpty && lexical.modals.isEmpty)
        #expect(lexical.statusIsError && lexical.status.contains("needs an LLM"), "\(lexical.status)")

        var badPrompt = try Self.state()
        badPrompt.settings.mode = .template
        badPrompt.editor.replaceAll("Rate {nonsense} from 0.0 to 1.0")
        #expect(press(&badPrompt, .char("t")).isEmpty && badPrompt.modals.isEmpty)
        #expect(badPrompt.statusIsError && badPrompt.status.hasPrefix("prompt:"), "\(badPrompt.status)")
    }

    @Test func theLineageFillsInLiveAndACandidateShowsItsCritiqueAndDiff() throws {
        var (state, _) = try Self.started()
        let start = state.editor.text
        let (events, _) = Self.lineage(start: start, confirmed: true)
        _ = WorkbenchReducer.reduce(&state, .tuneStarted(12))
        _ = WorkbenchReducer.reduce(&state, .tuneProgress(Array(events.prefix(3))))
        var screen = WorkbenchView.render(state).text
        #expect(screen.contains("Tune 12:"), "\(screen)")
        #expect(screen.contains("round 1: proposing edits of candidate 0"), "\(screen)")
        #expect(screen.contains("#1") && screen.contains("discarded"), "\(screen)")
        #expect(!screen.contains("#4"), "not proposed yet")

        _ = WorkbenchReducer.reduce(&state, .tuneProgress(Array(events.dropFirst(3).prefix(3))))
        screen = WorkbenchView.render(state).text
        #expect(screen.contains("accepted") && screen.contains("0.8300") && screen.contains("+0.2200"), "\(screen)")
        #expect(screen.contains("calls 225"), "\(screen)")
        // The accepted candidate, selected: its critique and its diff against the start.
        _ = press(&state, .char("j"), .char("j"), .char("j"), .char("j"))
        #expect(state.modals.last == .tune(selection: 4, scroll: 0))
        screen = WorkbenchView.render(state).text
        #expect(screen.contains("#4 (round 1, from #0): accepted"), "\(screen)")
        #expect(screen.contains("critique:") && screen.contains("Memories that share words outrank"), "\(screen)")
        #expect(screen.contains("+ Put answers above word matches."), "\(screen)")
        let diff = LineDiff(old: start, new: state.tune!.lineage[4]!.text)
        #expect(diff.added >= 2 && diff.removed >= 1)
        #expect(screen.contains("diff against #0: +\(diff.added) −\(diff.removed) lines"), "\(screen)")
    }

    @Test func lLoadsACandidateIntoTheEditorAsOneUndoableStep() throws {
        var (state, _) = try Self.started()
        let start = state.editor.text
        let (events, final) = Self.lineage(start: start, confirmed: true)
        _ = WorkbenchReducer.reduce(&state, .tuneProgress(events))
        _ = press(&state, .char("j"), .char("j"), .char("j"), .char("j"), .char("l"))
        #expect(state.editor.text == final[4]!.text)
        #expect(state.focus == .prompt && state.modals.isEmpty)
        #expect(state.status.contains("candidate 4 loaded"), "\(state.status)")
        _ = press(&state, .ctrl("z"))
        #expect(state.editor.text == start, "Ctrl-Z brings the text before the load back")
    }

    @Test func theConfirmationIsShownAsACompareIs() throws {
        var (state, _) = try Self.started()
        let (events, final) = Self.lineage(start: state.editor.text, confirmed: true)
        _ = WorkbenchReducer.reduce(&state, .tuneStarted(3))
        _ = WorkbenchReducer.reduce(&state, .tuneProgress(events))
        _ = WorkbenchReducer.reduce(&state, .tuneEnded(lineage: final, written: ["Prompts/tuned-x.txt", "Prompts/tuned-x.mem0.yaml"], message: nil))
        #expect(state.tune?.running == false)
        #expect(state.status.contains("tune 3 finished: improved on dev, confirmed on test"), "\(state.status)")
        let screen = WorkbenchView.render(state).text
        #expect(screen.contains("test split: improved on dev, confirmed on test"), "\(screen)")
        #expect(screen.contains("wrote Prompts/tuned-x.txt and Prompts/tuned-x.mem0.yaml"), "\(screen)")
        #expect(screen.contains("Confirmation on the test split: start (A) vs #4 (B)"), "\(screen)")
        // The compare view's own lines: its header, its metric row and its verdict.
        let compare = ModalView.comparisonLines([final.confirmation!.comparison]).map(\.0)
        #expect(screen.contains(compare[0]) && screen.contains(compare[1].prefix(40)), "\(screen)")
        #expect(screen.contains(final.confirmation!.comparison.verdict().prefix(40)), "\(screen)")
    }

    @Test func runsWaitForTheTuneAndQuittingAsksThenStopsIt() throws {
        var (state, _) = try Self.started()
        _ = WorkbenchReducer.reduce(&state, .tuneStarted(5))
        _ = press(&state, .escape)
        #expect(state.modals.isEmpty, "the view closes; the tune goes on")
        #expect(press(&state, .char("r")).isEmpty)
        #expect(state.status.contains("a tune is running"), "\(state.status)")
        _ = press(&state, .char("t"))
        #expect(state.modals.last == .tune(selection: 0, scroll: 0), "t shows the running tune again")
        #expect(press(&state, .char("n")).isEmpty && state.status.contains("s stops it first"))
        _ = press(&state, .escape)
        #expect(press(&state, .char("q")).isEmpty)
        #expect(state.modals.last == .confirm(.stopTuneAndQuit(tuneID: 5)))
        #expect(WorkbenchView.render(state).text.contains("rerank-eval tune --resume 5"))
        let effects = press(&state, .char("y"))
        #expect(effects.contains(.stopTune) && effects.contains(.quit))
    }

    @Test func sStopsTheTuneAndTheStatusSaysHowToResume() throws {
        var (state, _) = try Self.started()
        _ = WorkbenchReducer.reduce(&state, .tuneStarted(9))
        #expect(press(&state, .char("s")) == [.stopTune])
        var stopped = TuneLineage(start: state.currentPrompt)
        stopped.stopReason = .cancelled
        _ = WorkbenchReducer.reduce(&state, .tuneEnded(lineage: stopped, written: [], message: nil))
        #expect(state.tune?.running == false)
        #expect(state.status.contains("rerank-eval tune --resume 9"), "\(state.status)")
        #expect(WorkbenchView.render(state).text.contains("tune --resume 9 continues it"))
        // Stopped, a new tune can start: n asks again.
        _ = press(&state, .char("n"))
        guard case .confirm(.startTune)? = state.modals.last else {
            Issue.record("n did not ask: \(state.modals)")
            return
        }
    }

    @Test func atEightyColumnsPgDnShowsTheRestOfTheCandidate() throws {
        var (state, _) = try Self.started(width: 80, height: 24)
        let (events, final) = Self.lineage(start: state.editor.text, confirmed: true)
        _ = WorkbenchReducer.reduce(&state, .tuneProgress(events))
        _ = WorkbenchReducer.reduce(&state, .tuneEnded(lineage: final, written: [], message: nil))
        _ = press(&state, .char("j"), .char("j"), .char("j"), .char("j"))
        var screen = WorkbenchView.render(state).text
        #expect(screen.contains("Confirmation on the test split"), "the verdict comes first: \(screen)")
        #expect(screen.contains("more lines (PgDn)"), "\(screen)")
        #expect(!screen.contains("+ Put answers above word matches."))
        _ = press(&state, .pageDown, .pageDown)
        screen = WorkbenchView.render(state).text
        #expect(screen.contains("+ Put answers above word matches."), "\(screen)")
        #expect(screen.contains("unchanged line"), "long unchanged runs are folded: \(screen)")
        _ = press(&state, .char("k"))
        #expect(state.modals.last == .tune(selection: 3, scroll: 0), "another candidate starts at its top")
    }

    @Test func paletteAndHelpListTheTune() throws {
        #expect(PaletteReducer.listed.contains(.tune))
        let help = ModalView.helpText(width: 120).map(\.0).joined(separator: "\n")
        #expect(help.contains(Command.tune.title), "\(help)")
    }

    @Test(arguments: ScreenSnapshotTests.sizes) func snapshots(width: Int, height: Int) throws {
        var (state, _) = try Self.started(width: width, height: height)
        let (events, final) = Self.lineage(start: state.editor.text, confirmed: false)
        _ = WorkbenchReducer.reduce(&state, .tuneStarted(2))
        _ = WorkbenchReducer.reduce(&state, .tuneProgress(Array(events.prefix(6))))
        _ = press(&state, .char("j"), .char("j"), .char("j"), .char("j"))
        Snapshot.check(WorkbenchView.render(state).text, named: "tune-running-\(width)x\(height)", directory: directory)
        _ = WorkbenchReducer.reduce(&state, .tuneProgress(Array(events.dropFirst(6))))
        _ = WorkbenchReducer.reduce(&state, .tuneEnded(lineage: final, written: [], message: nil))
        Snapshot.check(WorkbenchView.render(state).text, named: "tune-finished-\(width)x\(height)", directory: directory)
    }
}
