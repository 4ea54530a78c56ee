/// The eight ANSI colours and the terminal's default; the adapter maps them to curses pairs.
public enum TermColor: UInt8, Sendable, Hashable, CaseIterable {
    case standard = 0, black, red, green, yellow, blue, magenta, cyan, white
}

/// How a cell looks. In monochrome mode (NO_COLOR, TERM=dumb) only the attributes remain.
public struct Style: Sendable, Hashable {
    public var fg: TermColor = .standard
    public var bg: TermColor = .standard
    public var bold = false
    public var dim = false
    public var reverse = false
    public var underline = false

    public init(fg: TermColor = .standard, bg: TermColor = .standard, bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    public static let plain = Style()
    public static let bold = Style(bold: true)
    public static let dim = Style(dim: true)
    public static let reverse = Style(reverse: true)
    public static func color(_ c: TermColor, bold: Bool = false) -> Style { Style(fg: c, bold: bold) }

    /// The style without colours, for monochrome terminals: meaning is carried by attributes.
    public var monochrome: Style {
        var s = self
        if fg == .green || fg == .red || fg == .yellow { s.bold = true }
        s.fg = .standard
        s.bg = .standard
        return s
    }
}
