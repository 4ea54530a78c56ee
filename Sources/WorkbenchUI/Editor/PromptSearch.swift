/// A search in the prompt editor: the text looked for (case is ignored), and whether its line
/// at the bottom is still being typed.
public struct PromptSearch: Sendable, Equatable {
    public var query: String
    public var typing: Bool
    /// Where the cursor was when the search line opened: typing searches forward from here.
    public var originRow: Int
    public var originColumn: Int

    public init(query: String = "", typing: Bool = true, originRow: Int = 0, originColumn: Int = 0) {
        self.query = query
        self.typing = typing
        self.originRow = originRow
        self.originColumn = originColumn
    }

    /// Where a match starts: line and character.
    public struct Position: Sendable, Equatable, Comparable {
        public var row: Int
        public var column: Int

        public static func < (a: Position, b: Position) -> Bool { (a.row, a.column) < (b.row, b.column) }
    }

    /// The characters of each match in one line, left to right, not overlapping.
    public func ranges(in line: [Character]) -> [Range<Int>] {
        let needle = Array(query.lowercased())
        guard !needle.isEmpty, line.count >= needle.count else { return [] }
        let hay = line.map { Character($0.lowercased()) }
        var out: [Range<Int>] = []
        var i = 0
        while i + needle.count <= hay.count {
            if Array(hay[i..<(i + needle.count)]) == needle {
                out.append(i..<(i + needle.count))
                i += needle.count
            } else {
                i += 1
            }
        }
        return out
    }

    /// Every match in the text, in reading order.
    public func matches(in lines: [[Character]]) -> [Position] {
        lines.enumerated().flatMap { row, line in ranges(in: line).map { Position(row: row, column: $0.lowerBound) } }
    }

    /// The match after (or, backwards, before) `from`, going round the end of the text;
    /// `including` counts a match exactly at `from` (typing keeps the match it is on).
    public func match(in lines: [[Character]], from: Position, forward: Bool, including: Bool = false) -> Position? {
        let all = matches(in: lines)
        guard !all.isEmpty else { return nil }
        if forward {
            return all.first { including ? $0 >= from : $0 > from } ?? all.first
        }
        return all.last { including ? $0 <= from : $0 < from } ?? all.last
    }
}
