import RerankKit
import Testing

@Suite struct LineDiffTests {
    @Test func aChangedLineReadsAsRemovedThenAdded() {
        let d = LineDiff.lines("a\nb\nc\nd", "a\nB\nc\nd\ne")
        #expect(d == [.same("a"), .removed("b"), .added("B"), .same("c"), .same("d"), .added("e")])
    }

    @Test func keepsTheLongestCommonLines() {
        // x y z w -> y w x: the common subsequence has two lines (y, w), so two removed, one added.
        let d = LineDiff.diff(["x", "y", "z", "w"], ["y", "w", "x"])
        #expect(d.filter { if case .same = $0 { return true } else { return false } }.count == 2)
        #expect(d == [.removed("x"), .same("y"), .removed("z"), .same("w"), .added("x")])
    }

    @Test func identicalAndEmptyTexts() {
        #expect(LineDiff.lines("same\ntext", "same\ntext") == [.same("same"), .same("text")])
        #expect(LineDiff.lines("", "new") == [.removed(""), .added("new")])
    }
}
