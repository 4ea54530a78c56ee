/// A choice a user makes about a run (or about a command that prepares one: splitting, importing,
/// exporting). The core names these in errors and notes; each front end words them its own way:
/// `rerank-eval` as an option, the workbench as a settings row or a key. That is why no core
/// message spells a command-line option.
public enum RecipeField: String, Sendable, Hashable, CaseIterable, Codable {
    case dataset, prompt, mode, config, provider, model, baseURL, apiKey, route, modelFile, promptCache
    case replay, split, topK, parser, scale, samples, concurrency, cutoffs, store, prices, resume
    /// How judgments outside the pool count (all, or the pool only).
    case judged
    /// The share of queries a split holds out, and the field it groups queries by.
    case testShare, groupBy
    /// Importing LoCoMo: whether adversarial questions are kept, and which items are candidates.
    case adversarial, candidates
    /// The format a run is exported in.
    case format
}

/// One thing the user can do about an error or a note, in terms of `RecipeField`s.
public enum Remedy: Sendable, Hashable {
    /// Give this field a value (`placeholder` says what kind: "NAME", "URL", "FILE").
    case set(RecipeField, placeholder: String)
    /// Give this field exactly this value (the provider `llamacpp`).
    case use(RecipeField, value: String)
    /// Leave this field out.
    case drop(RecipeField)
    /// Set an environment variable.
    case environment(String)
    /// Make a copy of the dataset with a held-out split (the `split` command).
    case makeSplit(dataset: String)
    /// Install the managed local model.
    case installLocalModel
    /// Look again at what this field says (the base URL, the key).
    case check(RecipeField)
    /// Choose another run store (or move this file aside).
    case useAnotherStore
    /// See the stored runs, to pick one by number.
    case listRuns
    /// See the prompts that ship with RerankBench.
    case listPrompts
    /// Export a stored run as a recording, to replay it.
    case makeRecording
    /// A step no front end words differently ("check the permissions").
    case other(String)
}

/// An error whose fix is `Remedy` values: each front end words it with its `RemedyWording`, and
/// `description` uses the plain words. Callers match on the type's code, never on its text.
public protocol RemedialError: Error, Sendable, CustomStringConvertible {
    /// The whole message in a front end's words.
    func message(_ wording: RemedyWording) -> String
}

extension RemedialError {
    public var description: String { message(.plain) }
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

    /// "problem; remedy (or remedy)", or the problem alone when there is nothing to do.
    public func sentence(_ problem: String, _ remedies: [Remedy]) -> String {
        remedies.isEmpty ? problem : problem + "; " + join(remedies)
    }

    public static let plain = RemedyWording { remedy in
        switch remedy {
        case let .set(field, placeholder): return "set \(field.rawValue) to \(placeholder)"
        case let .use(field, value): return "set \(field.rawValue) to \(value)"
        case let .drop(field): return "leave \(field.rawValue) out"
        case let .environment(name): return "set \(name) in the environment"
        case let .makeSplit(dataset): return "make a copy of \(dataset) with a held-out split"
        case .installLocalModel: return "install the local model"
        case let .check(field): return "check \(field.rawValue)"
        case .useAnotherStore: return "choose another store file, or move this one aside"
        case .listRuns: return "see the stored runs"
        case .listPrompts: return "see the shipped prompts"
        case .makeRecording: return "export the run as a recording"
        case let .other(text): return text
        }
    }
}
