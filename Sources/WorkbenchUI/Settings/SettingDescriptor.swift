import RerankCore

/// One run setting as the Settings pane edits it: its name, the values → and ← step through,
/// how it reads and writes typed text, and whether a change can be shown without new calls.
/// `SettingsReducer` knows no field by name; it only follows these rows.
struct SettingDescriptor: Sendable {
    /// How → and ← change the value.
    enum Values: Sendable {
        /// Step through these values, each as `format` writes it and `parse` reads it back.
        /// An empty list (a provider the price table does not know) means the user must type.
        case choices(@Sendable (RunSettings) -> [String], whenAbsent: AbsentValue)
        /// Add or take a step (a number up or down, within its bounds).
        case steps(@Sendable (inout RunSettings, _ forward: Bool) -> Void)
        /// There is nothing to step through (a URL): → and ← open the field as Enter does.
        case typedOnly
    }

    /// Where stepping starts when the current value is not in the list (a model typed by hand).
    enum AbsentValue: Sendable {
        /// As if between the last and the first: → gives the first, ← the last.
        case betweenLastAndFirst
        /// As if at the first: → gives the second, ← the last.
        case atFirst
    }

    var field: SettingField
    /// The name the pane, the input title and status lines use.
    var name: String
    var values: Values
    /// The value as text: prefilled when the user types, and what `parse` reads back.
    var format: @Sendable (RunSettings) -> String
    /// Sets the value from typed text (already trimmed); false when the text is not a valid value.
    var parse: @Sendable (String, inout RunSettings) -> Bool
    /// True when the stored replies can be scored again for the new value with no provider calls
    /// (parsing, ranking and metrics settings); false when only a new run shows its effect
    /// (what is sent, and to whom).
    var rescoresWithoutCalls: Bool

    /// The next value after a step forward or back; nil when there is no list to step through.
    func stepped(_ settings: RunSettings, forward: Bool) -> RunSettings? {
        var s = settings
        switch values {
        case .typedOnly:
            return nil
        case let .steps(step):
            step(&s, forward)
            return s
        case let .choices(list, whenAbsent):
            let choices = list(settings)
            guard !choices.isEmpty else { return nil }
            let n = choices.count
            let i = choices.firstIndex(of: format(settings)) ?? {
                switch whenAbsent {
                case .betweenLastAndFirst: return forward ? -1 : 0
                case .atFirst: return 0
                }
            }()
            _ = parse(choices[(i + (forward ? 1 : n - 1) + n) % n], &s)
            return s
        }
    }
}
