import RerankKit
import Testing

/// The line diff the Tune view shows between a candidate and its parent.
@Suite struct LineDiffTests {
    func render(_ d: LineDiff) -> [String] {
        d.lines.map { l in
            switch l.kind {
            case .same: return "  " + l.text
            case .added: return "+ " + l.text
            case .removed: return "- " + l.text
            }
        }
    }

    @Test func equalTextsHaveNoChange() {
        let d = LineDiff(old: "a\nb\nc", new: "a\nb\nc")
        #expect(d.isEmpty && d.lines.count == 3)
        #expect(d.lines.map(\.old) == [1, 2, 3] && d.lines.map(\.new) == [1, 2, 3])
    }

    @Test func anAppendedLineAndAChangedLine() {
        let d = LineDiff(old: "Rate relevance.\nBe strict.\nScore 0-1.", new: "Rate usefulness.\nBe strict.\nScore 0-1.\nAnswers first.")
        #expect(render(d) == ["- Rate relevance.", "+ Rate usefulness.", "  Be strict.", "  Score 0-1.", "+ Answers first."])
        #expect(d.added == 2 && d.removed == 1)
        #expect(d.lines.last?.new == 4 && d.lines.last?.old == nil)
    }

    @Test func removalsComeBeforeTheAdditionsThatReplaceThem() {
        let d = LineDiff(old: "x\na\nb\ny", new: "x\nc\nd\ny")
        #expect(render(d) == ["  x", "- a", "- b", "+ c", "+ d", "  y"])
    }

    @Test func theLongestCommonLinesAreKept() {
        // A moved line: the diff keeps the longer common run and moves the other.
        let d = LineDiff(old: "1\n2\n3\n4\n5", new: "2\n3\n4\n1\n5")
        #expect(d.lines.filter { $0.kind == .same }.map(\.text) == ["2", "3", "4", "5"])
        #expect(d.added == 1 && d.removed == 1)
    }

    @Test func emptySides() {
        #expect(render(LineDiff(old: "", new: "a")) == ["- ", "+ a"])
        #expect(LineDiff(old: "a\nb", new: "a\nb\n").added == 1)
    }

    @Test func pastTheLimitTheMiddleIsReplacedWhole() {
        let old = (0..<30).map(String.init).joined(separator: "\n")
        let changed: [String] = (0..<30).map { (i: Int) -> String in i == 0 || i == 29 ? String(i) : "n" + String(i) }
        let new = changed.joined(separator: "\n")
        let d = LineDiff(old: old, new: new, limit: 10)
        #expect(d.removed == 28 && d.added == 28)
        #expect(d.lines.first?.kind == .same && d.lines.last?.kind == .same)
    }

    @Test func aChangedLineReadsAsRemovedThenAdded() {
        #expect(render(LineDiff(old: "a\nb\nc\nd", new: "a\nB\nc\nd\ne")) == ["  a", "- b", "+ B", "  c", "  d", "+ e"])
    }

    @Test func keepsTheLongestCommonLinesOfAShuffle() {
        // x y z w -> y w x: the common subsequence has two lines (y, w).
        #expect(render(LineDiff(old: "x\ny\nz\nw", new: "y\nw\nx")) == ["- x", "  y", "- z", "  w", "+ x"])
    }
}
