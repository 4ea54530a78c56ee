import Foundation
import RerankKit
import Testing
@testable import WorkbenchUI

/// Issue 18 part 6: soft wrap, search in the prompt, and mem0's 4000-character cut in the detail.
@Suite struct PromptComfortTests {
    func press(_ s: inout WorkbenchState, _ keys: Key...) {
        for k in keys { _ = WorkbenchReducer.reduce(&s, .key(k)) }
    }

    @Test func wrapFoldsAtSpacesAndKeepsEveryCharacter() {
        let line = Array("the quick brown fox jumps")
        let rows = PromptPane.wrapped([line, []], width: 10)
        #expect(rows.map { String(line[$0.start..<$0.end]) }.dropLast() == ["the quick ", "brown fox ", "jumps"])
        #expect(rows.last == PromptPane.Row(line: 1, start: 0, end: 0))
        // A word longer than the row is cut at the edge.
        let long = Array("abcdefghijkl")
        #expect(PromptPane.wrapped([long], width: 5).map { $0.end - $0.start } == [5, 5, 2])
    }

    @Test func wrapIsOnByDefaultAndAltWTogglesIt() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        #expect(s.softWrap)
        s.focus = .prompt
        let wrapped = WorkbenchView.render(s).text
        // The default prompt's first line is longer than the pane: its end shows, folded.
        #expect(wrapped.contains("document is to the query."))
        press(&s, .alt("w"))
        #expect(!s.softWrap)
        let scrolled = WorkbenchView.render(s).text
        #expect(scrolled.contains("no wrap") && !scrolled.contains("document is to the query."))
        press(&s, .alt("w"))
        #expect(s.softWrap)
    }

    @Test func theCursorStaysInViewOnAWrappedRow() throws {
        var s = try WorkbenchFixtures.state(width: 80, height: 24)
        s.focus = .prompt
        press(&s, .end)  // the end of the long first line, several rows down
        let grid = WorkbenchView.render(s)
        #expect(grid.cells.contains { $0.style.reverse && $0.text == " " || $0.style.reverse }, "a cursor cell is drawn")
    }

    @Test func searchMovesTheCursorAndGoesRound() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        s.focus = .prompt
        let lines = s.editor.lines
        let all = PromptSearch(query: "score").matches(in: lines)
        #expect(all.count >= 2)
        press(&s, .ctrl("f"), .char("S"), .char("c"), .char("o"), .char("r"), .char("e"))
        #expect(s.promptSearch?.typing == true)
        #expect(s.editor.row == all[0].row && s.editor.column == all[0].column)
        #expect(s.status.contains("match 1 of \(all.count)"))
        // Next, next ... and round to the first; previous from the first is the last.
        press(&s, .ctrl("g"))
        #expect(s.editor.row == all[1].row && s.editor.column == all[1].column)
        press(&s, .enter)
        #expect(s.promptSearch?.typing == false)
        for _ in 1..<all.count { press(&s, .function(3)) }
        #expect(s.editor.row == all[0].row && s.editor.column == all[0].column)
        press(&s, .function(15))
        #expect(s.editor.row == all.last!.row && s.editor.column == all.last!.column)
        press(&s, .alt("g"))
        #expect(s.editor.row == all[all.count - 2].row)
        // Typed text while the line is open is the search's, never the prompt's.
        #expect(s.editor.text == WorkbenchState(width: 1, height: 1, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings()).editor.text)
    }

    @Test func aSearchWithNoMatchSaysSoAndEscForgetsIt() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        s.focus = .prompt
        press(&s, .ctrl("f"), .char("z"), .char("q"), .char("x"))
        #expect(s.status.contains("'zqx' is not in the prompt"))
        press(&s, .escape)
        #expect(s.promptSearch == nil && s.focus == .prompt)
        press(&s, .ctrl("g"))
        #expect(s.status.contains("Ctrl-F"))
    }

    @Test func matchesAreDrawnAndTheSearchLineShows() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        s.focus = .prompt
        press(&s, .ctrl("f"), .char("q"), .char("u"), .char("e"), .char("r"), .char("y"))
        let grid = WorkbenchView.render(s)
        #expect(grid.text.contains("Search the prompt: query"))
        #expect(grid.cells.contains { $0.style.underline && $0.text == "q" })
        let bottom = grid.text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(bottom.contains("next") && bottom.contains("previous") && bottom.contains("Esc close"), "\(bottom)")
    }

    /// A state whose first query's first memory is 4504 characters long, on an LLM provider in
    /// system mode (the BM25 baseline sends nothing, so cuts nothing).
    static func longMemoryState(width: Int, height: Int) throws -> (WorkbenchState, String) {
        var s = try WorkbenchFixtures.state(width: width, height: height)
        let long = String(repeating: "word ", count: 900) + "TAIL"
        let q = try #require(s.selectedQuery)
        let first = try #require(q.candidates.first)
        s.dataset!.queries = s.dataset!.queries.map { query in
            var query = query
            if query.id == q.queryID {
                query.candidates = query.candidates.map { c in var c = c; if c.id == first.id { c.text = long }; return c }
            }
            return query
        }
        s.settings.provider = "openai"
        s.settings.model = "gpt-4o-mini"
        s.settings.mode = .system
        s.focus = .results
        s.resultCursor = 0
        return (s, long)
    }

    /// The first scroll of the detail view at which mem0's cut mark is on screen.
    static func scrollToCut(_ s: inout WorkbenchState) -> Bool {
        for scroll in 0..<400 {
            s.modals = [.detail(scroll: scroll)]
            if WorkbenchView.render(s).text.contains("mem0 cuts here") { return true }
        }
        return false
    }

    @Test func theDetailMarksMem0sCutOnALongMemory() throws {
        var (s, long) = try Self.longMemoryState(width: 120, height: 40)
        let lines = ModalView.memoryLines(long, mode: .system, baseline: false)
        guard lines.count == 3, case let .text(kept, _) = lines[0], case let .text(mark, _) = lines[1], case let .text(rest, _) = lines[2] else {
            Issue.record("no cut mark: \(lines)"); return
        }
        #expect(kept.unicodeScalars.count == 4000 && kept + rest == long)
        #expect(mark.contains("mem0 cuts here") && mark.contains("first 4000 of 4504") && mark.contains("504 below"))
        #expect(ModalView.memoryLines("short", mode: .system, baseline: false).count == 1)
        #expect(ModalView.memoryLines(long, mode: .template, baseline: false).count == 1)
        #expect(ModalView.memoryLines(long, mode: .system, baseline: true).count == 1)
        #expect(Self.scrollToCut(&s))
    }
}
