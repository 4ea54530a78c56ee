/// The providers RerankBench knows: names, default models and concurrency, decided here once.
/// Building one is `ProviderFactory`'s job (it needs the network or a local server).
public enum ProviderCatalog {
    /// The offline BM25 keyword baseline.
    public static let lexicalName = "lexical"
    /// Replies served from a recording.
    public static let replayName = "replay"
    /// Calls in flight for a provider without a preset (hosted APIs take many).
    public static let hostedConcurrency = 8

    /// Every provider name users can pass.
    public static var names: [String] { [lexicalName] + ProviderPreset.all.map(\.name) }

    public static func defaultModel(_ provider: String) -> String {
        provider == lexicalName ? LexicalProvider.modelName : ProviderPreset.named(provider)?.defaultModel ?? ""
    }

    /// Calls in flight by default for `provider`.
    public static func defaultConcurrency(_ provider: String) -> Int {
        ProviderPreset.named(provider)?.defaultConcurrency ?? hostedConcurrency
    }

    /// Whether the provider reads the prompt at all (the lexical baseline does not).
    public static func ignoresPrompt(_ provider: String) -> Bool { provider == lexicalName }
}

/// Errors setting up a provider that the recipe could not foresee: the managed local model is
/// not installed, or its model file is unusable. A code to match on, what is wrong, and what to
/// do as `Remedy` values each front end words.
public struct ProviderSetupError: RemedialError, Hashable {
    public enum Code: String, Sendable, Hashable {
        /// The managed local model is not installed.
        case localModelNotInstalled
        /// The model file given for the local provider is not a file.
        case noSuchModelFile
        /// The local model cannot be served for another reason.
        case localModelUnusable
    }

    public var code: Code
    /// What is wrong, with no front end's vocabulary in it.
    public var problem: String
    public var remedies: [Remedy]

    public init(_ code: Code, _ problem: String, remedies: [Remedy] = []) {
        self.code = code
        self.problem = problem
        self.remedies = remedies
    }

    public func message(_ wording: RemedyWording) -> String { wording.sentence(problem, remedies) }
}
