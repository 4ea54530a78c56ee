import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// The real `rerankbench` binary driven in tmux (Tests/tmux/workbench.sh): edit, run, read
/// scores and NDCG, compare, help, resize, export, quit with the terminal restored.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "needs tmux (apt-get install tmux)"))
struct WorkbenchTmuxTests {
    @Test func scriptedSessionPasses() async throws {
        let binary = CommandRunner.productsDirectory.appendingPathComponent("rerankbench").path
        let script = Fixtures.repoPath("Tests/tmux/workbench.sh")
        let r = try await CommandRunner.run(executable: URL(fileURLWithPath: "/bin/bash"), [script, binary],
                                            environment: ["PATH": "/usr/bin:/bin", "TERM": "xterm-256color", "HOME": NSTemporaryDirectory()])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("checks passed"))
    }

    /// Issue 20's afternoon (edit, save, pin, switch provider, compare, cancel, quit mid-run,
    /// start again) at both sizes, against a loopback OpenAI-compatible server slow enough
    /// (20 ms a call) for a run to be cancelled by hand.
    @Test(.serialized, arguments: [(80, 24), (120, 40)])
    func theAfternoonLosesNoEditAndLabelsEveryNumber(_ size: (Int, Int)) async throws {
        let server = try FakeProviderServer { r, _ in
            // A score that depends on the memory, so reranking moves things.
            let score = Double(r.body.count % 10) / 10
            return .text(String(score), for: r, delay: 0.02)
        }
        defer { server.stop() }
        let binary = CommandRunner.productsDirectory.appendingPathComponent("rerankbench").path
        let script = Fixtures.repoPath("Tests/tmux/afternoon.sh")
        let r = try await CommandRunner.run(executable: URL(fileURLWithPath: "/bin/bash"), [script, binary, String(size.0), String(size.1)],
                                            environment: ["PATH": "/usr/bin:/bin", "TERM": "xterm-256color", "HOME": NSTemporaryDirectory(),
                                                          "FAKE_URL": server.baseURL + "/v1"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("checks passed"))
    }

    /// Issue 15 in the real binary: dev by default, test only after confirming, looks counted.
    @Test(.serialized, arguments: [(80, 24), (120, 40)])
    func aSplitFileWorksOnDevAndConfirmsOnTestOnlyWhenAsked(_ size: (Int, Int)) async throws {
        try await runScript("split.sh", size)
    }

    /// Issue 18 parts 4-6 in the real binary: a config with remapped keys, the light theme and
    /// defaults; a bad config's message; mouse clicks and the wheel; soft wrap and search.
    @Test(.serialized, arguments: [(80, 24), (120, 40)])
    func aConfigRemapsKeysAndTheMouseClicks(_ size: (Int, Int)) async throws {
        try await runScript("config.sh", size)
    }

    /// Issue 16 part 5: a generated file of 1,000 x 100 pairs shows a loading screen at once
    /// (keys answer while it is read), pages through its queries and a query's candidates, and
    /// answers keys during a lexical run over every pair. By hand: the same script at 10,000 x 100.
    @Test(.serialized, arguments: [(80, 24), (120, 40)])
    func aLargeFileOpensAtOnceAndAnswersKeysDuringARun(_ size: (Int, Int)) async throws {
        try await runScript("bigdata.sh", size)
    }

    /// Runs Tests/tmux/NAME with the built binary at one size, with `extra` in its environment
    /// (a loopback server's address); it must pass all its checks.
    func runScript(_ name: String, _ size: (Int, Int), environment extra: [String: String] = [:]) async throws {
        let binary = CommandRunner.productsDirectory.appendingPathComponent("rerankbench").path
        let script = Fixtures.repoPath("Tests/tmux/" + name)
        let environment = ["PATH": "/usr/bin:/bin", "TERM": "xterm-256color", "HOME": NSTemporaryDirectory()].merging(extra) { _, new in new }
        let r = try await CommandRunner.run(executable: URL(fileURLWithPath: "/bin/bash"), [script, binary, String(size.0), String(size.1)],
                                            environment: environment)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("checks passed"))
    }

    /// Issue 17's Tune view in the real binary, against the loopback tune server as scorer and
    /// proposer: asked first, live lineage, confirmation on test, winner written, a candidate loaded.
    @Test(.serialized, arguments: [(80, 24), (120, 40)])
    func theTuneViewFindsTheInstructionAndConfirmsItOnTest(_ size: (Int, Int)) async throws {
        let directory = Fixtures.temporaryDirectory()
        let dataset = Fixtures.write(TuneFakeModel.datasetText(dev: 16, test: 10), name: "split.jsonl", in: directory)
        let model = TuneFakeModel(dataset: try DatasetLoader().load(path: dataset))
        let server = try FakeProviderServer { r, _ in model.reply(r) }
        defer { server.stop() }
        try await runScript("tune.sh", size, environment: ["FAKE_URL": server.baseURL + "/v1", "DATASET": dataset])
    }

    /// Issue 19 part 4: the Probes view in the real binary against a loopback scorer that obeys
    /// injected instructions: live progress, a stop, the cache, a high success rate, a query's
    /// injected memories by attack name, and the dataset file unchanged.
    @Test(.serialized, arguments: [(80, 24), (120, 40)])
    func theProbesViewShowsHowEasilyThePromptIsFooled(_ size: (Int, Int)) async throws {
        let server = try ProbeCommandTests.scorer(gullible: true, delay: 0.05)
        defer { server.stop() }
        try await runScript("probes.sh", size, environment: ["FAKE_URL": server.baseURL + "/v1"])
    }

    /// Issue 18 parts 1 and 3: a label edited and saved (file, .bak, log), undone, a file changed
    /// on disk, dataset versions in history, and an old prompt loaded from the prompt history.
    @Test(.serialized, arguments: [(80, 24), (120, 40)])
    func labelsAreSavedWholeAndOldPromptsComeBack(_ size: (Int, Int)) async throws {
        try await runScript("labels.sh", size)
    }
}
