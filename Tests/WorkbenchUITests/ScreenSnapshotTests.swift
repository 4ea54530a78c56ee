import Foundation
import RerankKit
import RerankTestSupport
import Testing
@testable import WorkbenchUI

/// Screens of every view at 80x24 and 120x40, compared with stored snapshots.
@Suite struct ScreenSnapshotTests {
    static let sizes = [(80, 24), (120, 40)]
    let directory = (#filePath as NSString).deletingLastPathComponent

    func check(_ state: WorkbenchState, _ name: String) {
        Snapshot.check(WorkbenchView.render(state).text, named: "\(name)-\(state.width)x\(state.height)", directory: directory)
    }

    @Test(arguments: sizes) func beforeRun(width: Int, height: Int) throws {
        check(try WorkbenchFixtures.state(width: width, height: height), "loaded")
    }

    /// Issue 16 part 5: the first screen while a large file is read in the background.
    @Test(arguments: sizes) func loadingALargeFile(width: Int, height: Int) throws {
        var state = WorkbenchState(width: width, height: height, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
        _ = WorkbenchReducer.reduce(&state, .datasetLoading(DatasetLoading(path: "/tmp/big.jsonl", bytes: 87_405_898, startedAt: 10)))
        _ = WorkbenchReducer.reduce(&state, .tick(now: 13.2))
        check(state, "loading")
    }

    /// Issue 16 part 5: the queries listed as soon as the file is read, their first-stage
    /// metrics still being measured in the background (no number shown until they are).
    @Test(arguments: sizes) func metricsBeingMeasured(width: Int, height: Int) throws {
        var state = WorkbenchState(width: width, height: height, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
        _ = WorkbenchReducer.reduce(&state, .datasetRead(try WorkbenchFixtures.dataset()))
        _ = WorkbenchReducer.reduce(&state, .tick(now: 1.6))
        check(state, "measuring")
    }

    /// The same with a run started before the metrics arrived: its answers are counted and kept.
    @Test func aRunWhileTheMetricsAreMeasured() async throws {
        var state = WorkbenchState(width: 120, height: 40, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
        _ = WorkbenchReducer.reduce(&state, .datasetRead(try WorkbenchFixtures.dataset()))
        let results = try await WorkbenchFixtures.lexicalResults(state)
        _ = WorkbenchReducer.reduce(&state, .key(.char("r")))
        _ = WorkbenchReducer.reduce(&state, .runStarted(total: results.count, now: 0.4))
        _ = WorkbenchReducer.reduce(&state, .runProgress(Array(results.prefix(60)), retries: 0, lastError: nil))
        _ = WorkbenchReducer.reduce(&state, .tick(now: 1.6))
        check(state, "measuring-running")
    }

    @Test(arguments: sizes) func afterRun(width: Int, height: Int) async throws {
        check(try await WorkbenchFixtures.ranState(width: width, height: height), "ran")
    }

    @Test(arguments: sizes) func eachPaneFocused(width: Int, height: Int) async throws {
        var state = try await WorkbenchFixtures.ranState(width: width, height: height)
        for pane in Focus.allCases {
            state.focus = pane
            check(state, "focus-\(pane.name.lowercased())")
        }
    }

    @Test(arguments: sizes) func overlays(width: Int, height: Int) async throws {
        var state = try await WorkbenchFixtures.ranState(width: width, height: height)
        _ = WorkbenchReducer.reduce(&state, .key(.char("?")))
        check(state, "help")
        state.modals = []
        state.focus = .results
        _ = WorkbenchReducer.reduce(&state, .key(.enter))
        check(state, "detail")
        state.modals = [.palette(query: "pro", selection: 0)]
        check(state, "palette")
        state.modals = [.filePicker(directory: "Datasets", entries: [FileEntry(name: "build", isDirectory: true), FileEntry(name: "eng-notes.jsonl", isDirectory: false), FileEntry(name: "personal-memories.jsonl", isDirectory: false)], selection: 1)]
        check(state, "picker")
    }

    @Test(arguments: sizes) func compareView(width: Int, height: Int) async throws {
        var state = try await WorkbenchFixtures.ranState(width: width, height: height)
        _ = WorkbenchReducer.reduce(&state, .key(.char("p")))
        state.settings.topK = 3
        WorkbenchReducer.rebuildReport(&state)
        _ = WorkbenchReducer.reduce(&state, .key(.char("c")))
        check(state, "compare")
    }

    /// Issue 18 part 2: A and B query by query, the third-worst query's rankings side by side.
    @Test(arguments: sizes) func diffView(width: Int, height: Int) async throws {
        var state = try await WorkbenchFixtures.ranState(width: width, height: height)
        _ = WorkbenchReducer.reduce(&state, .key(.char("p")))
        state.settings.topK = 3
        WorkbenchReducer.rebuildReport(&state)
        for key in [Key.char("d"), .char("w"), .char("j"), .char("j")] { _ = WorkbenchReducer.reduce(&state, .key(key)) }
        check(state, "diff")
    }

    /// Issue 18 part 1: a label edited in Results (marked until saved), the question when the
    /// file changed on disk, and the quit dialog naming the unsaved labels.
    @Test(arguments: sizes) func labelEdits(width: Int, height: Int) async throws {
        var state = try await WorkbenchFixtures.ranState(width: width, height: height)
        state.focus = .results
        _ = WorkbenchReducer.reduce(&state, .key(.char("0")))
        check(state, "label-edited")
        _ = WorkbenchReducer.reduce(&state, .labelsChangedOnDisk)
        check(state, "label-conflict")
        state.modals = []
        _ = WorkbenchReducer.reduce(&state, .key(.char("q")))
        check(state, "quit-unsaved-labels")
    }

    /// Issue 18 part 3: the prompt history with A marked, and the line diff of two versions.
    @Test(arguments: sizes) func promptHistory(width: Int, height: Int) async throws {
        var state = try await WorkbenchFixtures.ranState(width: width, height: height)
        _ = WorkbenchReducer.reduce(&state, .key(.char("H")))
        _ = WorkbenchReducer.reduce(&state, .promptHistoryLoaded(WorkbenchFixtures.promptVersions(current: state.dataset!.contentHash)))
        _ = WorkbenchReducer.reduce(&state, .key(.char("m")))
        check(state, "prompt-history")
        for key in [Key.up, .up, .char("d")] { _ = WorkbenchReducer.reduce(&state, .key(key)) }
        check(state, "prompt-diff")
    }

    /// The smallest size the workbench draws at: help keeps every column (issue 20, item 20).
    @Test func helpAtTheSmallestSize() async throws {
        var state = try await WorkbenchFixtures.ranState(width: WorkbenchView.minimumWidth, height: 20)
        _ = WorkbenchReducer.reduce(&state, .key(.char("?")))
        check(state, "help")
    }

    @Test func tooSmall() throws {
        var state = try WorkbenchFixtures.state(width: 50, height: 12)
        state.width = 50
        check(state, "too-small")
    }

    @Test func runningShowsProgress() async throws {
        var state = try WorkbenchFixtures.state(width: 120, height: 40)
        let results = try await WorkbenchFixtures.lexicalResults(state)
        _ = WorkbenchReducer.reduce(&state, .key(.char("r")))
        _ = WorkbenchReducer.reduce(&state, .runStarted(total: results.count, now: 100))
        _ = WorkbenchReducer.reduce(&state, .runProgress(Array(results.prefix(120)), retries: 2, lastError: "HTTP 429: slow down (retrying)"))
        _ = WorkbenchReducer.reduce(&state, .tick(now: 104))
        check(state, "running")
    }

    @Test func wideCharactersNeverBreakBorders() throws {
        var state = try WorkbenchFixtures.state(width: 120, height: 40)
        let q = Query(id: "日本", text: "東京で好きな食べ物は？🍣🍜 emoji test", candidates: [
            Candidate(id: "c1", text: "寿司が大好きです。特にサーモン🍣が好き。", relevance: 2, firstStageScore: 0.9, fileIndex: 0),
            Candidate(id: "c2", text: "Lives in Tōkyō 東京 since 2020 👨‍👩‍👧", relevance: 0, firstStageScore: 0.8, fileIndex: 1),
        ])
        _ = WorkbenchReducer.reduce(&state, .datasetLoaded(Dataset(path: "cjk.jsonl", queries: [q])))
        state.editor = TextEditor(text: "日本語のプロンプト {query} と {document} を評価してください。😀 これは長い行です、横スクロールが必要になります。")
        let grid = WorkbenchView.render(state)
        // Every row is exactly the screen width in display columns: nothing spills past a border.
        for y in 0..<grid.height {
            var columns = 0
            for x in 0..<grid.width where !grid[x, y].text.isEmpty { columns += DisplayWidth.of(grid[x, y].text) }
            let halves = (0..<grid.width).filter { grid[$0, y].text.isEmpty }.count
            #expect(columns + halves == 120 || columns == 120, "row \(y)")
        }
        check(state, "cjk")
    }

    @Test func localProviderShowsItsState() throws {
        var state = try WorkbenchFixtures.state(width: 120, height: 40)
        state.settings.provider = ProviderPreset.localName
        state.settings.model = ProviderCatalog.defaultModel(ProviderPreset.localName)
        for (detail, shown) in [("not installed: run `rerank-eval local install`", "not installed"),
                                ("installed (gemma-3-270m); the server starts when used", "installed"),
                                ("running at http://127.0.0.1:41234", "running at")] {
            _ = WorkbenchReducer.reduce(&state, .providersChecked([ProviderStatus(name: "local", ready: !detail.hasPrefix("not"), detail: detail, defaultModel: "gemma-3-270m")]))
            let text = WorkbenchView.render(state).text
            let line = text.split(separator: "\n").first { $0.contains("provider     local") }
            #expect(line?.contains(shown) == true, "\(line ?? "no provider line")")
            #expect(text.contains("gemma-3-270m"))
            #expect(text.contains("base URL     127.0.0.1, a free port"))
        }
    }

    @Test func monochromeHasNoColours() async throws {
        var state = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        state.monochrome = true
        let grid = WorkbenchView.render(state)
        #expect(grid.cells.allSatisfy { $0.style.fg == .standard && $0.style.bg == .standard })
        #expect(grid.cells.contains { $0.style.reverse })
    }

    @Test func deltaColoursCarryMeaning() async throws {
        let state = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        let grid = WorkbenchView.render(state)
        let colours = Set(grid.cells.map(\.style.fg))
        #expect(colours.contains(.green) && colours.contains(.red))
    }
}
