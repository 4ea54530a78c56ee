import RerankKit

/// How the command line names each recipe field: as the flag that sets it.
public enum CommandLineWording {
    public static func flag(_ field: RecipeField) -> String {
        switch field {
        case .baseURL: return "--base-url"
        case .apiKey: return "--api-key"
        case .route: return "--api"
        case .modelFile: return "--model-file"
        case .promptCache: return "--no-prompt-cache"
        case .topK: return "--top-k"
        case .cutoffs: return "--k"
        case .testShare: return "--test"
        case .groupBy: return "--by"
        default: return "--" + field.rawValue
        }
    }

    /// Remedies as a command-line user acts on them: "pass --model NAME".
    public static let remedies = RemedyWording { remedy in
        switch remedy {
        case let .set(field, placeholder): return "pass \(flag(field)) \(placeholder)"
        case let .use(field, value): return "use \(flag(field)) \(value)"
        case let .drop(field): return "leave out \(flag(field))"
        case let .environment(name): return "set \(name) in the environment"
        case let .makeSplit(dataset): return "make a copy with one: rerank-eval split \(dataset) --test 0.3 --seed 1 -o SPLIT.jsonl"
        case .installLocalModel: return "run rerank-eval local install"
        case let .check(field): return "check \(flag(field))"
        case .useAnotherStore: return "pass --store with another file"
        case .listRuns: return "see `rerank-eval history`"
        case .listPrompts: return "see `rerank-eval prompts` for the shipped ones in Prompts/"
        case .makeRecording: return "make one with `rerank-eval export RUN --format recording -o FILE`"
        case let .other(text): return text
        }
    }

    /// A note for standard error, prefixed "note:" or "warning:" as before.
    public static func note(_ note: RunNote) -> String {
        switch note {
        case let .evaluatingDevSplit(path, evaluated, total):
            return "note: \(path) has a held-out split; evaluating the dev split (\(evaluated) of \(total) queries). --split test confirms on the held-out queries, --split all uses every query"
        case let .providerIgnoresPrompt(provider):
            return "note: provider '\(provider)' is a BM25 keyword baseline, not an LLM: the prompt is not used. Pick an LLM provider to test prompts."
        case let .promptWarning(place, line, column, message):
            return line > 0 ? "warning: \(place):\(line):\(column): \(message)" : "warning: \(place): \(message)"
        case let .configWarning(text):
            return "warning: \(text)"
        }
    }
}

extension Error {
    /// The message with command-line remedies (`RemedialError`), else the error's own text.
    public var commandLineMessage: String {
        (self as? any RemedialError)?.message(CommandLineWording.remedies) ?? "\(self)"
    }
}
