/// Something a front end should tell the user about a resolved run before it starts.
public enum RunNote: Sendable, Hashable {
    /// The file has a held-out split and none was asked for: the run sees the dev queries only.
    case evaluatingDevSplit(path: String, evaluated: Int, total: Int)
    /// The provider is the BM25 keyword baseline: the prompt is not used.
    case providerIgnoresPrompt(provider: String)
    /// A warning about the prompt, at `line`/`column` of `place` when known (0: the whole file).
    case promptWarning(place: String, line: Int, column: Int, message: String)
    /// A warning about the mem0 config (a key mem0 would ignore, for example).
    case configWarning(String)
}
