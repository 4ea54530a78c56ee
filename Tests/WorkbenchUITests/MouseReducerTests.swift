import Foundation
import RerankKit
import Testing
@testable import WorkbenchUI

/// Issue 18 part 5: mouse events through the reducer, placed with the layout's rectangles.
@Suite struct MouseReducerTests {
    func click(_ s: inout WorkbenchState, _ x: Int, _ y: Int, _ button: MouseEvent.Button = .press) {
        _ = WorkbenchReducer.reduce(&s, .key(.mouse(MouseEvent(button, x: x, y: y))))
    }

    @Test func aClickFocusesThePaneAndSelectsTheRowUnderIt() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        s.focus = .prompt
        let queries = WorkbenchView.layout(width: 120, height: 40, focus: .prompt)[.queries]!
        // The fourth query row: under the border and the header.
        click(&s, queries.x + 5, queries.y + 2 + 3)
        #expect(s.focus == .queries)
        #expect(s.queryCursor == 3)
        let clicked = try #require(s.selectedQuery)
        let results = WorkbenchView.layout(width: 120, height: 40, focus: .queries)[.results]!
        click(&s, results.x + 10, results.y + 2 + 2)
        #expect(s.focus == .results && s.resultCursor == 2)
        #expect(s.selectedQuery?.queryID == clicked.queryID)
        let settings = WorkbenchView.layout(width: 120, height: 40, focus: .results)[.settings]!
        click(&s, settings.x + 3, settings.y + 1 + 4)
        #expect(s.focus == .settings && s.settingsCursor == 4)
    }

    @Test func aClickOnTheHeaderOrBorderOnlyFocuses() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        s.queryCursor = 2
        let queries = WorkbenchView.layout(width: 120, height: 40, focus: .queries)[.queries]!
        s.focus = .metrics
        click(&s, queries.x + 5, queries.y + 1)
        #expect(s.focus == .queries && s.queryCursor == 2)
        click(&s, 0, 0)  // the title bar
        #expect(s.focus == .queries)
    }

    @Test func theWheelMovesTheListUnderThePointer() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        s.focus = .prompt
        let queries = WorkbenchView.layout(width: 120, height: 40, focus: .prompt)[.queries]!
        click(&s, queries.x + 5, queries.y + 4, .wheelDown)
        #expect(s.focus == .queries && s.queryCursor == MouseReducer.wheelStep)
        click(&s, queries.x + 5, queries.y + 4, .wheelUp)
        #expect(s.queryCursor == 0)
    }

    @Test func onANarrowScreenATabClickFocusesItsPane() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 80, height: 24)
        s.focus = .queries
        let screen = WorkbenchView.render(s).text.split(separator: "\n", omittingEmptySubsequences: false)
        let tabs = String(screen[1])
        let column = try #require(tabs.range(of: "4 Results")).lowerBound.utf16Offset(in: tabs)
        click(&s, column + 2, 1)
        #expect(s.focus == .results)
        // The pane now fills the screen: a click in it selects a row there.
        let rect = WorkbenchView.layout(width: 80, height: 24, focus: .results)[.results]!
        click(&s, rect.x + 4, rect.y + 2 + 1)
        #expect(s.resultCursor == 1)
    }

    @Test func overAModalTheWheelScrollsAndAClickAnswersNothing() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        s.modals = [.help(scroll: 0)]
        click(&s, 60, 20, .wheelDown)
        #expect(s.modals == [.help(scroll: MouseReducer.wheelStep)])
        s.modals = [.confirm(.stopRunAndQuit)]
        click(&s, 60, 20)
        click(&s, 60, 20, .wheelDown)
        #expect(s.modals == [.confirm(.stopRunAndQuit)] && !s.wantsQuit)
        s.modals = [.message(title: "t", body: "b")]
        click(&s, 60, 20, .wheelUp)
        #expect(s.modals == [.message(title: "t", body: "b")])
    }

    @Test func aTooSmallScreenIgnoresTheMouse() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 50, height: 12)
        s.focus = .prompt
        click(&s, 30, 5)
        #expect(s.focus == .prompt)
    }
}
