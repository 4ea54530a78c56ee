/// What the user's config file (`~/.config/rerankbench/config.toml`) asks of the workbench, as
/// plain values: the front end parses the file, WorkbenchUI only consumes this.
public struct WorkbenchConfig: Sendable, Equatable {
    /// Keys that replace a command's built-in keys in every pane the command works in.
    public var keys: [Command: [Key]] = [:]
    public var theme: Theme = .dark
    /// Settings a fresh session starts with (a restored session keeps its own; the command
    /// line wins over both).
    public var provider: String?
    public var model: String?
    public var cutoffs: [Int]?
    public var concurrency: Int?
    /// Mouse clicks and the wheel; off leaves the mouse to the terminal (its own selection).
    public var mouse = true

    public init() {}

    /// The built-in defaults: what a missing or bad file gives.
    public static let builtIn = WorkbenchConfig()

    /// The keymap with this config's keys: what the reducers, key bar, help and palette read.
    public func keymap() throws(KeymapConflict) -> Keymap { try Keymap.standard.overriding(keys) }
}

/// A config file the workbench could not use: where, what, and the fix. The workbench starts
/// with the built-in defaults and shows this on its first screen.
public struct ConfigProblem: Sendable, Equatable, Error, CustomStringConvertible {
    public var path: String
    /// 1-based; nil when the problem is not on one line (the file cannot be read).
    public var line: Int?
    public var message: String
    public var fix: String

    public init(path: String, line: Int?, message: String, fix: String) {
        self.path = path
        self.line = line
        self.message = message
        self.fix = fix
    }

    public var description: String {
        "\(path)\(line.map { ":\($0)" } ?? ""): \(message); \(fix). The workbench started with the built-in keys, colours and defaults."
    }
}
