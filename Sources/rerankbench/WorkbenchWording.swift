import RerankCommandLine
import RerankKit
import WorkbenchUI

/// How the workbench names a recipe field in a remedy: the settings row or key that changes
/// it, else the start-up option (the same spelling as `rerank-eval run`'s).
enum WorkbenchWording {
    static func place(_ field: RecipeField) -> String? {
        switch field {
        case .provider: return "the \(SettingField.provider.label) row in Settings"
        case .model: return "the \(SettingField.model.label) row in Settings"
        case .baseURL: return "the \(SettingField.baseURL.label) row in Settings"
        case .parser: return "the \(SettingField.parser.label) row in Settings"
        case .scale: return "the \(SettingField.scale.label) row in Settings"
        case .topK: return "the \(SettingField.topK.label) row in Settings"
        case .samples: return "the \(SettingField.samples.label) row in Settings"
        case .concurrency: return "the \(SettingField.concurrency.label) row in Settings"
        case .cutoffs: return "the \(SettingField.cutoff.label) row in Settings"
        case .mode: return "the \(SettingField.mode.label) row in Settings"
        case .apiKey: return "K in Settings"
        case .dataset: return "o (open a dataset)"
        default: return nil
        }
    }

    static let remedies = RemedyWording { remedy in
        func where_(_ field: RecipeField) -> String {
            place(field) ?? "start rerankbench with \(CommandLineWording.flag(field))"
        }
        switch remedy {
        case let .set(field, placeholder):
            return place(field).map { "set it with \($0)" } ?? "start rerankbench with \(CommandLineWording.flag(field)) \(placeholder)"
        case let .use(field, value):
            return place(field).map { "choose \(value) in \($0)" } ?? "start rerankbench with \(CommandLineWording.flag(field)) \(value)"
        case let .drop(field):
            return place(field).map { "clear \($0)" } ?? "start rerankbench without \(CommandLineWording.flag(field))"
        case let .environment(name):
            return "set \(name) in the environment"
        case let .makeSplit(dataset):
            return "make a copy of \(dataset) with a held-out split (rerank-eval split)"
        case .installLocalModel:
            return "run rerank-eval local install"
        case let .check(field):
            return "check " + where_(field)
        case .useAnotherStore:
            return "start rerankbench with RERANKBENCH_STORE set to another file"
        case .listRuns:
            return "see the stored runs with rerank-eval history"
        case .listPrompts:
            return "open one of the shipped prompts in Prompts/"
        case .makeRecording:
            return "export a run as a recording with rerank-eval export"
        case let .other(text):
            return text
        }
    }
}

extension Error {
    /// The message with the workbench's remedies (`RemedialError`), else the error's own text.
    var workbenchMessage: String {
        (self as? any RemedialError)?.message(WorkbenchWording.remedies) ?? "\(self)"
    }
}
