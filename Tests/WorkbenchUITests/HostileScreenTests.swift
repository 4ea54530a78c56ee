import Foundation
import RerankKit
import RerankTestSupport
import Testing
@testable import WorkbenchUI

/// The workbench over the hostile dataset, prompt, replies and model name: every cell of every
/// screen holds only text (escapes shown as `\e[2J`), and no row spills past the screen's width.
@Suite struct HostileScreenTests {
    /// A workbench after a run over the hostile data, replies included.
    static func state(width: Int, height: Int) async throws -> WorkbenchState {
        let prompt = try HostileData.prompt()
        var settings = RunSettings(model: HostileData.modelName)
        settings.mode = .system
        var state = WorkbenchState(width: width, height: height, prompt: prompt, settings: settings)
        state.editor = TextEditor(text: prompt.text)
        _ = WorkbenchReducer.reduce(&state, .datasetLoaded(try HostileData.dataset()))
        let (_, _, results) = try await HostileData.run()
        _ = WorkbenchReducer.reduce(&state, .key(.char("r")))
        _ = WorkbenchReducer.reduce(&state, .runStarted(total: results.count, now: 0))
        _ = WorkbenchReducer.reduce(&state, .runProgress(results, retries: 1, lastError: HostileData.serverError))
        _ = WorkbenchReducer.reduce(&state, .runFinished(stopReason: nil, elapsed: 1))
        return state
    }

    static func expectOnlyText(_ grid: ScreenGrid, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for y in 0..<grid.height {
            var row = ""
            for x in 0..<grid.width { row += grid[x, y].text }
            let raw = HostileData.rawControls(in: row, allowed: [])
            #expect(raw.isEmpty, "\(what), row \(y): \(raw): \(row)", sourceLocation: sourceLocation)
            #expect(DisplayWidth.of(row) <= grid.width, "\(what), row \(y) spills: \(row)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [(80, 24), (120, 40)]) func everyPaneAndOverlayShowsDataAsText(width: Int, height: Int) async throws {
        var state = try await Self.state(width: width, height: height)
        var shown = ""
        for pane in Focus.allCases {
            state.focus = pane
            let grid = WorkbenchView.render(state)
            Self.expectOnlyText(grid, "\(pane)")
            shown += grid.text
        }
        // The Results pane's detail view: the full memory, the messages sent and the raw reply.
        state.focus = .results
        for _ in 0..<3 {
            _ = WorkbenchReducer.reduce(&state, .key(.enter))
            for scroll in 0..<6 {
                if case .detail = state.modals.last { state.modals[state.modals.count - 1] = .detail(scroll: scroll * 5) }
                let grid = WorkbenchView.render(state)
                Self.expectOnlyText(grid, "detail, scroll \(scroll)")
                shown += grid.text
            }
            state.modals = []
            _ = WorkbenchReducer.reduce(&state, .key(.char("j")))
        }
        #expect(shown.contains("\\e"), "escapes are shown, not dropped")
        #expect(!HostileData.hasRawEscapeBytes(shown))
    }

    @Test func everyQueryCanBeSelected() async throws {
        var state = try await Self.state(width: 120, height: 40)
        state.focus = .queries
        var seen = ""
        for _ in 0..<4 {
            let grid = WorkbenchView.render(state)
            Self.expectOnlyText(grid, "queries")
            seen += grid.text
            _ = WorkbenchReducer.reduce(&state, .key(.char("j")))
        }
        #expect(seen.contains("q\\e[5mblink\\u202E"), "the id is shown with its escapes visible")
    }

    @Test func gridPutShowsControlsAsEscapesAndKeepsWidthsConsistent() {
        var grid = ScreenGrid(width: 40, height: 1)
        let written = grid.put("a\u{1B}[2J\u{1B}]0;t\u{07}\tb\u{202E}c\r\nd", x: 0, y: 0)
        #expect(grid.text == "a\\e[2J\\e]0;t\\a b\\u202Ec d")
        #expect(written == DisplayWidth.of("a\u{1B}[2J\u{1B}]0;t\u{07}\tb\u{202E}c\r\nd"))
        #expect(DisplayWidth.of("\u{1B}") == 2 && DisplayWidth.of("\u{202E}") == 6 && DisplayWidth.of("\t") == 1)
        // Clipping never cuts inside an escape's cells wrongly: what fits is drawn, nothing past the limit.
        var narrow = ScreenGrid(width: 10, height: 1)
        narrow.put("ab\u{202E}cd", x: 0, y: 0, limit: 5)
        #expect(narrow.text == "ab")
    }

    @Test func wrappingAWideEscapeOnANarrowLineEnds() {
        let lines = ModalView.wrap("\u{202E}\u{202E}\u{2066}", width: 5)
        #expect(lines.count == 3)
    }
}
