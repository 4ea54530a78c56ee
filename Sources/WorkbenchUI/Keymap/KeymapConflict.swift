/// Two commands given the same key in a pane where both work: the key would run only one.
public struct KeymapConflict: Error, Sendable, Equatable {
    public var key: Key
    /// The command the config gave the key to, and the one that already has it there.
    public var command: Command
    public var other: Command
    public var pane: Focus
}
