import Foundation
import RerankKit
import Testing
@testable import WorkbenchUI

/// The candidate detail (Enter on a result): what was sent, exactly, and nothing LLM-shaped for
/// a provider that is not an LLM (issue 20, items 16 and 17).
@Suite struct DetailViewTests {
    /// A run on an LLM provider of the selected query with `prompt` as the system message, each
    /// candidate answered "0.9"; then the editor changes to other text.
    static func llmRun(prompt: String) throws -> WorkbenchState {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        s.settings.provider = "openai"
        s.settings.model = "gpt-4o-mini"
        s.editor = TextEditor(text: prompt)
        _ = WorkbenchReducer.reduce(&s, .key(.char("r")))
        // The session's first run on a paid API asks once, with its cost.
        _ = WorkbenchReducer.reduce(&s, .key(.char("y")))
        let q = try #require(s.selectedQuery)
        let replies = q.candidates.map {
            PairResult(queryID: q.queryID, candidateID: $0.id, sampleIndex: 0,
                       reply: ChatReply(text: "0.9", usage: TokenUsage(promptTokens: 12, completionTokens: 1)))
        }
        _ = WorkbenchReducer.reduce(&s, .runStarted(total: replies.count, now: 0))
        _ = WorkbenchReducer.reduce(&s, .runProgress(replies, retries: 0, lastError: nil))
        _ = WorkbenchReducer.reduce(&s, .runFinished(stopReason: .cancelled, elapsed: 1))
        s.editor = TextEditor(text: "Edited after the run. {query} {document}")
        s.focus = .results
        _ = WorkbenchReducer.reduce(&s, .key(.enter))
        return s
    }

    /// The overlay's rows, without the panes around it.
    static func overlay(_ state: WorkbenchState) -> String {
        WorkbenchView.render(state).text.split(separator: "\n").compactMap { row -> String? in
            guard let a = row.firstIndex(of: "┃"), let b = row.lastIndex(of: "┃"), a < b else { return nil }
            return String(row[row.index(after: a)..<b])
        }.joined(separator: "\n")
    }

    @Test func theSystemMessageIsShownAsSentWithItsWhitespace() throws {
        let s = try Self.llmRun(prompt: " Be strict.\tScore 0 to 1.  \n\nThen stop.")
        let screen = WorkbenchView.render(s).text
        #expect(screen.contains("Messages sent (system mode):"))
        // The leading space, the tab and the two trailing spaces are marked; the blank line has
        // its bar.
        #expect(screen.contains("│ ·Be strict.→Score 0 to 1.··"), "\(screen)")
        #expect(screen.contains("│ Then stop."))
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
        let blank = try #require(rows.firstIndex { $0.contains("│ ·Be strict.") }).advanced(by: 1)
        #expect(rows[blank].contains("┃ │" + String(repeating: " ", count: 40)), "the blank line shows as a bare bar: \(rows[blank])")
        #expect(!Self.overlay(s).contains("Edited after the run"), "the run's prompt, not the editor's")
    }

    @Test func sentTextKeepsEveryCharacterWhenItWraps() {
        let text = "  two leading, \ta tab, a long line that has to wrap across several rows of a narrow view, and two trailing  \r\nCRLF\n\n"
        let rows = SentText.rows(text, width: 24)
        #expect(rows.allSatisfy { DisplayWidth.of($0.map(\.text).joined()) <= 24 })
        // Undo the marks and the layout: the text comes back byte for byte.
        var back = ""
        for (i, row) in rows.enumerated() {
            let gutter = row[0].text
            if i > 0, gutter == SentText.lineStart { back += "\n" }
            for run in row.dropFirst() {
                back += run.style == SentText.mark
                    ? String(run.text.map { $0 == "·" ? " " : ($0 == "→" ? "\t" : "\r") }) : run.text
            }
        }
        #expect(back == text)
    }

    @Test func aLexicalRunShowsNothingLLMShaped() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        s.focus = .results
        _ = WorkbenchReducer.reduce(&s, .key(.enter))
        let screen = Self.overlay(s)
        #expect(screen.contains("BM25 score 0.4381"))
        for word in ["finish", "tokens", "Raw reply", "attempt", "outcome", "Messages"] {
            #expect(!screen.contains(word), "\(word) in the detail of a BM25 run")
        }
    }

    @Test func aLexicalRunStaysLexicalAfterTheProviderChanges() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        s.settings.provider = "openai"
        s.settings.model = "gpt-4o-mini"
        s.focus = .results
        _ = WorkbenchReducer.reduce(&s, .key(.enter))
        let screen = Self.overlay(s)
        #expect(screen.contains("BM25 score"))
        #expect(!screen.contains("tokens"))
    }
}
