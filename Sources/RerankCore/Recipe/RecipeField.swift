/// A choice a user makes about a run. The core names these in errors and notes; each front end
/// words them its own way: `rerank-eval` as a flag (`--model`), the workbench as a settings row
/// or a key. That is why no core message spells a command-line flag.
public enum RecipeField: String, Sendable, Hashable, CaseIterable, Codable {
    case dataset, prompt, mode, config, provider, model, baseURL, apiKey, route, modelFile, promptCache
    case replay, split, topK, parser, scale, samples, concurrency, cutoffs, store, prices, resume
}

/// One thing the user can do about an error or a note, in terms of `RecipeField`s.
public enum Remedy: Sendable, Hashable {
    /// Give this field a value (`placeholder` says what kind: "NAME", "URL", "FILE").
    case set(RecipeField, placeholder: String)
    /// Give this field exactly this value (`--provider llamacpp`).
    case use(RecipeField, value: String)
    /// Leave this field out.
    case drop(RecipeField)
    /// Set an environment variable.
    case environment(String)
    /// Make a copy of the dataset with a held-out split (the `split` command).
    case makeSplit(dataset: String)
    /// Install the managed local model.
    case installLocalModel
}

/// Turns remedies into words. A front end passes its own; `plain` names fields as themselves
/// (for logs and for tests that check the structure, not the words).
public struct RemedyWording: Sendable {
    public var phrase: @Sendable (Remedy) -> String

    public init(phrase: @escaping @Sendable (Remedy) -> String) { self.phrase = phrase }

    /// Remedies joined the way people say them: "set A (or B)".
    public func join(_ remedies: [Remedy]) -> String {
        guard let first = remedies.first else { return "" }
        let rest = remedies.dropFirst().map(phrase)
        return phrase(first) + (rest.isEmpty ? "" : " (or " + rest.joined(separator: ", or ") + ")")
    }

    public static let plain = RemedyWording { remedy in
        switch remedy {
        case let .set(field, placeholder): return "set \(field.rawValue) to \(placeholder)"
        case let .use(field, value): return "set \(field.rawValue) to \(value)"
        case let .drop(field): return "leave \(field.rawValue) out"
        case let .environment(name): return "set \(name) in the environment"
        case let .makeSplit(dataset): return "make a copy of \(dataset) with a held-out split"
        case .installLocalModel: return "install the local model"
        }
    }
}
