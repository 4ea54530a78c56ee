/// The selection of a list modal (palette, file picker).
enum ListSelection {
    /// The selection after moving by `delta`: down stops at the last entry, up at the first.
    static func moved(_ selection: Int, by delta: Int, count: Int) -> Int {
        delta > 0 ? min(max(0, count - 1), selection + delta) : max(0, selection + delta)
    }
}
