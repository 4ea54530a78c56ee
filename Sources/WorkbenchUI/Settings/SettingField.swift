/// The editable run settings, in the order the pane lists them. What each one is (its name,
/// values, parsing) is its row in `SettingsTable`.
public enum SettingField: Int, Sendable, CaseIterable, Equatable {
    case provider, model, baseURL, mode, parser, scale, temperature, maxTokens, topK, samples, concurrency, failurePolicy, ties, cutoff

    public var label: String { SettingsTable.descriptor(for: self).name }
}
