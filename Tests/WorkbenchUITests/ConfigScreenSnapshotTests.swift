import Foundation
import RerankKit
import RerankTestSupport
import Testing
import WorkbenchConfigFile
@testable import WorkbenchUI

/// Issue 18 parts 4-6 on screen, at 80x24 and 120x40: a config's keys in the bar, a bad config's
/// message, the prompt search, soft wrap off, and mem0's cut in the detail.
@Suite struct ConfigScreenSnapshotTests {
    static let sizes = ScreenSnapshotTests.sizes

    /// The same snapshot files and check as every other screen.
    func check(_ state: WorkbenchState, _ name: String) { ScreenSnapshotTests().check(state, name) }

    @Test(arguments: sizes) func remappedKeysInTheBar(width: Int, height: Int) async throws {
        var state = try await WorkbenchFixtures.ranState(width: width, height: height)
        state.start(with: WorkbenchConfigFile.parse("[keys]\nrun = \"F6\"\npinA = \"a\"\n", path: "config.toml"))
        state.focus = .queries
        let screen = WorkbenchView.render(state).text
        #expect(screen.split(separator: "\n").last?.contains("F6 run") == true)
        check(state, "config-keys")
    }

    @Test(arguments: sizes) func aBadConfigIsShownOnTheFirstScreen(width: Int, height: Int) throws {
        var state = try WorkbenchFixtures.state(width: width, height: height)
        state.start(with: WorkbenchConfigFile.parse("theme = \"light\"\n[keys]\nlaunch = \"x\"\n", path: "/home/me/.config/rerankbench/config.toml"))
        #expect(state.theme == .dark)
        let screen = WorkbenchView.render(state).text
        #expect(screen.contains("config.toml:3"))
        check(state, "config-problem")
    }

    @Test(arguments: sizes) func searchInThePrompt(width: Int, height: Int) throws {
        var state = try WorkbenchFixtures.state(width: width, height: height)
        state.focus = .prompt
        for key: Key in [.ctrl("f"), .char("s"), .char("c"), .char("o"), .char("r"), .char("e"), .ctrl("g")] {
            _ = WorkbenchReducer.reduce(&state, .key(key))
        }
        check(state, "prompt-search")
    }

    @Test(arguments: sizes) func softWrapOff(width: Int, height: Int) throws {
        var state = try WorkbenchFixtures.state(width: width, height: height)
        state.focus = .prompt
        _ = WorkbenchReducer.reduce(&state, .key(.alt("w")))
        check(state, "prompt-nowrap")
    }

    @Test(arguments: sizes) func mem0CutInTheDetail(width: Int, height: Int) throws {
        var (state, _) = try PromptComfortTests.longMemoryState(width: width, height: height)
        #expect(PromptComfortTests.scrollToCut(&state))
        // The mark a few rows up from the bottom, with the dimmed rest under it.
        if case let .detail(scroll) = state.modals.last { state.modals = [.detail(scroll: scroll + 4)] }
        check(state, "detail-cut")
    }
}
