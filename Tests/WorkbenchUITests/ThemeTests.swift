import Foundation
import RerankKit
import Testing
@testable import WorkbenchUI

/// Issue 18 part 4: themes repaint the roles; NO_COLOR still wins.
@Suite struct ThemeTests {
    func colours(_ s: WorkbenchState) -> Set<TermColor> { Set(WorkbenchView.render(s).cells.map(\.style.fg)) }

    @Test func darkIsTodaysLook() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        s.focus = .queries
        let grid = WorkbenchView.render(s)
        // The focused pane's frame is cyan, the others' the terminal's own colour.
        let queries = WorkbenchView.layout(width: 120, height: 40, focus: .queries)[.queries]!
        let prompt = WorkbenchView.layout(width: 120, height: 40, focus: .queries)[.prompt]!
        #expect(grid[queries.x, queries.y].style.fg == .cyan)
        #expect(grid[prompt.x, prompt.y].style.fg == .standard)
        #expect(!colours(s).contains(.white))
    }

    @Test func lightRepaintsEveryRole() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        s.focus = .queries
        s.theme = .light
        let grid = WorkbenchView.render(s)
        let rects = WorkbenchView.layout(width: 120, height: 40, focus: .queries)
        #expect(grid[rects[.queries]!.x, rects[.queries]!.y].style.fg == .blue)
        #expect(grid[rects[.prompt]!.x, rects[.prompt]!.y].style.fg == .black)
        // Yellow (hard to read on white) and cyan are gone; the key bar's keys are magenta.
        #expect(colours(s).isDisjoint(with: [.yellow, .cyan, .white]))
        let bottom = (0..<120).map { grid[$0, 39] }
        #expect(bottom.contains { $0.style.fg == .magenta && $0.text != " " })
    }

    @Test func oneRoleCanBeRecoloured() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        s.theme.colors[.up] = .blue
        s.theme.colors[.down] = .magenta
        let c = colours(s)
        #expect(c.contains(.blue) && c.contains(.magenta) && !c.contains(.green) && !c.contains(.red))
    }

    @Test func noColorWinsOverTheTheme() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        s.theme = .light
        s.monochrome = true
        let grid = WorkbenchView.render(s)
        #expect(grid.cells.allSatisfy { $0.style.fg == .standard && $0.style.bg == .standard })
    }

    @Test func colourNamesReadBack() {
        for c in TermColor.allCases { #expect(TermColor.named(c.name) == c) }
        #expect(TermColor.named("Default") == .standard)
        #expect(TermColor.named("purple") == nil)
    }
}
