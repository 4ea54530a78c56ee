import Foundation
import RerankKit
import RerankTestSupport
import Testing
@testable import WorkbenchUI

/// Issue 19 part 4: the Probes view. `A` opens the attacks (all checked), `r` probes the
/// editor's prompt on the working split in the background, the view shows the progress, then
/// per attack the success rate, rank, score and NDCG lost; Enter opens a query with the
/// injected memories marked by attack and the messages sent. The dataset never changes.
@Suite struct ProbesViewTests {
    let directory = (#filePath as NSString).deletingLastPathComponent

    /// The Tune view's split sample with its free vLLM endpoint, cut to the top 3.
    static func state(width: Int = 120, height: Int = 40) throws -> WorkbenchState {
        var state = try TuneViewTests.state(width: width, height: height)
        state.settings.model = "probe-model"
        state.settings.topK = 3
        return state
    }

    func press(_ state: inout WorkbenchState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += WorkbenchReducer.reduce(&state, .key(k)) }
        return effects
    }

    /// What the shell hands back after the probe `effect` asked for, scored by a gullible
    /// model: the own memories by their labels, an injected memory 1.0 when it carries an
    /// instruction or a claim of relevance, else 0.
    static func outcome(_ state: WorkbenchState, _ effect: Effect) throws -> ProbeOutcome {
        guard case let .startProbe(_, settings, prompt, probe) = effect else { throw Failure("not a probe: \(effect)") }
        let data = try #require(state.dataset)
        let queries = settings.split.map { data.selecting($0) } ?? data
        let probed = ProbedDataset(queries, settings: probe, writer: ProbeMemoryWriter(parser: settings.parser, scale: settings.scale))
        var results: [PairResult] = []
        for q in probed.dataset.queries {
            for c in q.candidates {
                let injected = probed.attack(queryID: q.id, candidateID: c.id) != nil
                let obeys = ["1.0", "score", "relevant", "exactly what", "answer"].contains { c.text.lowercased().contains($0) }
                let score = injected ? (obeys ? 1.0 : 0.0) : 0.1 + 0.4 * Double(c.relevance ?? 0)
                results.append(PairResult(queryID: q.id, candidateID: c.id, sampleIndex: 0, reply: ChatReply(text: score.formatted(decimals: 3))))
            }
        }
        let run = RunReportBuilder(dataset: probed.dataset, prompt: prompt, settings: settings).build(results: results)
        return ProbeOutcome(report: ProbeReport.build(run: run, probe: probed, runID: 41), run: run, probed: probed.dataset,
                            injected: probed.injected, prompt: prompt, settings: settings, results: results, runID: 41,
                            calledNow: results.count - 10, cachedNow: 10)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// The view open on a finished probe of every attack.
    static func probed(width: Int = 120, height: Int = 40) throws -> WorkbenchState {
        var state = try Self.state(width: width, height: height)
        _ = WorkbenchReducer.reduce(&state, .key(.char("A")))
        let effects = WorkbenchReducer.reduce(&state, .key(.char("r")))
        let start = try #require(effects.first)
        _ = WorkbenchReducer.reduce(&state, .probeStarted(planned: 100))
        _ = WorkbenchReducer.reduce(&state, .probeEnded(try outcome(state, start), message: nil))
        return state
    }

    @Test func aOpensTheAttacksAllCheckedAndRProbesTheEditorsPromptOnDev() throws {
        var state = try Self.state()
        #expect(press(&state, .char("A")).isEmpty)
        #expect(state.modals.last == .probes(selection: 0))
        var screen = WorkbenchView.render(state).text
        for attack in ProbeAttack.allCases {
            #expect(screen.contains("[x] \(attack.rawValue)"), "\(attack)")
        }
        #expect(screen.contains("on the dev split"), "\(screen)")
        #expect(screen.contains("seed 1") && screen.contains("1 memory per attack per query"), "\(screen)")
        #expect(screen.contains(ProbeAttack.injection.summary), "the selected attack's description")

        // Space unchecks the selected attack; + adds a memory per query.
        _ = press(&state, .char("j"), .char(" "), .char("+"))
        #expect(!state.probe.chosen.contains(.formatInjection) && state.probe.perQuery == 2)
        screen = WorkbenchView.render(state).text
        #expect(screen.contains("[ ] format-injection") && screen.contains("2 memories per attack per query"), "\(screen)")

        state.editor.replaceAll(state.editor.text + "\nJudge only the memory's content.")
        let effects = press(&state, .char("r"))
        guard case let .startProbe(_, settings, prompt, probe)? = effects.first else {
            Issue.record("no probe started: \(effects)")
            return
        }
        #expect(settings.split == .dev && settings.provider == "vllm" && settings.model == "probe-model")
        #expect(prompt.text == state.editor.text, "the editor's prompt, edits included")
        #expect(probe == ProbeSettings(attacks: ProbeAttack.allCases.filter { $0 != .formatInjection }, perQuery: 2, seed: 1))
        #expect(state.probe.isRunning)
        #expect(state.status.contains("on the dev split"), "\(state.status)")
        let dev = state.dataset!.queries.filter { $0.split == .dev }
        #expect(state.probe.progress?.planned == dev.reduce(0) { $0 + $1.candidates.count + 6 * 2 }, "own and injected memories, one call each")
    }

    @Test func whatAProbeNeedsIsSaidInsteadOfStartingOne() throws {
        var none = try Self.state()
        none.probe.chosen = []
        _ = press(&none, .char("A"))
        #expect(press(&none, .char("r")).isEmpty && none.statusIsError && none.status.contains("no attack is checked"), "\(none.status)")

        var replay = try Self.state()
        replay.settings.provider = ProviderCatalog.replayName
        _ = press(&replay, .char("A"))
        #expect(press(&replay, .char("r")).isEmpty && replay.status.contains("recording holds none"), "\(replay.status)")

        var running = try Self.state()
        running.run = RunProgress(done: 1, total: 9)
        _ = press(&running, .char("A"))
        #expect(press(&running, .char("r")).isEmpty && running.status.contains("a run or a tune is going"), "\(running.status)")

        // A paid API asks first, once per provider and model, as a run does.
        var paid = try Self.state()
        paid.settings.provider = "openai"
        paid.settings.model = "gpt-4o-mini"
        _ = press(&paid, .char("A"))
        #expect(press(&paid, .char("r")).isEmpty)
        guard case let .confirm(.paidProbe(e))? = paid.modals.last else {
            Issue.record("no question: \(paid.modals)")
            return
        }
        #expect(e.calls > paid.dataset!.queries.filter { $0.split == .dev }.reduce(0) { $0 + $1.candidates.count }, "the injected memories are calls too")
        #expect(WorkbenchView.render(paid).text.contains("Probe on a paid API?"))
        let effects = press(&paid, .char("y"))
        #expect(effects.contains { if case .startProbe = $0 { true } else { false } })
    }

    @Test func progressShowsLiveAndTheRunsStopKeyStopsIt() throws {
        var state = try Self.state()
        _ = press(&state, .char("A"), .char("r"))
        _ = WorkbenchReducer.reduce(&state, .probeStarted(planned: 80))
        _ = WorkbenchReducer.reduce(&state, .probeProgress(done: 23))
        #expect(WorkbenchView.render(state).text.contains("running: 23 of 80 calls"))
        #expect(press(&state, .ctrl("c")) == [.stopProbe], "Ctrl-C in the view")
        // On the main screen, Esc (the run's stop key) stops the probe.
        _ = press(&state, .escape)
        #expect(state.modals.isEmpty)
        #expect(press(&state, .char("r")).isEmpty && state.status.contains("a probe is running"), "\(state.status)")
        #expect(press(&state, .escape) == [.stopProbe])
        // Quitting asks first, as during a tune.
        _ = press(&state, .char("q"))
        #expect(state.modals.last == .confirm(.stopProbeAndQuit))
        #expect(WorkbenchView.render(state).text.contains("A probe is going"))
        #expect(press(&state, .char("y")) == [.stopProbe, .saveSession, .quit] && state.wantsQuit)
    }

    @Test func theResultsShowEachAttacksSuccessRateAndTheDatasetNeverSeesAnInjectedMemory() throws {
        let before = try Self.state().dataset!
        let state = try Self.probed()
        let outcome = try #require(state.probe.outcome)
        #expect(!state.probe.isRunning)
        let screen = WorkbenchView.render(state).text
        for a in outcome.report.attacks {
            let rate = ((a.successRate ?? 0) * 100).formatted(decimals: 1) + "%"
            #expect(screen.contains(a.attack.rawValue) && screen.contains(rate), "\(a.attack) \(rate)\n\(screen)")
        }
        // The gullible scorer obeys the injection: every dev query is fooled by it.
        let injection = try #require(outcome.report.attacks.first { $0.attack == .injection })
        #expect(injection.successRate == 1, "\(injection)")
        #expect(screen.contains(injection.sentence(k: 3).prefix(60)), "the summary line of the selected attack\n\(screen)")
        #expect(screen.contains("clean NDCG@3"), "\(screen)")
        #expect(screen.contains("run 41 in history"), "\(screen)")
        #expect(state.status.contains("worst attack") && state.status.contains("dev split"), "\(state.status)")
        // The dataset on screen is the file's: no injected memory, the same hash.
        let after = try #require(state.dataset)
        #expect(after.contentHash == before.contentHash)
        #expect(after.queries.map { $0.candidates.map(\.id) } == before.queries.map { $0.candidates.map(\.id) })
        #expect(!after.queries.contains { $0.candidates.contains { $0.id.hasPrefix("probe-") } })
    }

    @Test func aQueryShowsWhereTheInjectedMemoriesLandedAndTheMessagesSent() throws {
        var state = try Self.probed()
        // Enter on an attack row says what Enter is for.
        _ = press(&state, .enter)
        #expect(state.modals.count == 1 && state.status.contains("Enter opens a query"), "\(state.status)")
        _ = press(&state, .pageDown)
        guard case let .probes(selection)? = state.modals.last else { return }
        #expect(selection >= ProbeAttack.allCases.count, "the first query")
        _ = press(&state, .enter)
        #expect(state.modals.last == .probeQuery(query: selection - ProbeAttack.allCases.count, selection: 0, scroll: 0))
        var screen = WorkbenchView.render(state).text
        #expect(screen.contains("◆ injection"), "\(screen)")
        // The gullible scorer put an injected memory first: selected, its messages are shown.
        #expect(screen.contains("injected by"), "\(screen)")
        #expect(screen.contains("Messages sent (system mode):") && screen.contains("[system]"), "\(screen)")
        // An own memory further down: its label and the messages it was scored with.
        let ranking = ProbeReducer.ranking(state, query: selection - ProbeAttack.allCases.count)
        let own = try #require(ranking.firstIndex { !$0.id.hasPrefix("probe-") })
        for _ in 0..<own { _ = press(&state, .char("j")) }
        screen = WorkbenchView.render(state).text
        #expect(screen.contains("the query's own memory"), "\(screen)")
        _ = press(&state, .escape)
        #expect(state.modals.last.map { if case .probes = $0 { true } else { false } } == true)
    }

    @Test(arguments: ScreenSnapshotTests.sizes) func snapshots(width: Int, height: Int) throws {
        var state = try Self.state(width: width, height: height)
        _ = press(&state, .char("A"))
        Snapshot.check(WorkbenchView.render(state).text, named: "probes-setup-\(width)x\(height)", directory: directory)
        state = try Self.probed(width: width, height: height)
        _ = press(&state, .char("j"), .char("j"))
        Snapshot.check(WorkbenchView.render(state).text, named: "probes-results-\(width)x\(height)", directory: directory)
        _ = press(&state, .pageDown, .enter)
        Snapshot.check(WorkbenchView.render(state).text, named: "probes-query-\(width)x\(height)", directory: directory)
    }
}
