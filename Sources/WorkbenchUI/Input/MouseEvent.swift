/// What the mouse did, at a screen cell (0-based column and row). The terminal adapter turns
/// curses' mouse reports into these; `MouseReducer` decides what they mean on the screen shown.
public struct MouseEvent: Hashable, Sendable {
    public enum Button: Hashable, Sendable {
        /// The left button went down: focus and select.
        case press
        case wheelUp, wheelDown
    }

    public var button: Button
    public var x: Int
    public var y: Int

    public init(_ button: Button, x: Int, y: Int) {
        self.button = button
        self.x = x
        self.y = y
    }
}
