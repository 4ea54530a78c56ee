import Foundation
import RerankCore

/// The run settings the workbench edits, one row each, in the order the pane lists them.
enum SettingsTable {
    static func descriptor(for field: SettingField) -> SettingDescriptor {
        all[field.rawValue]
    }

    /// Every provider the settings row offers, in cycling order.
    static var providerNames: [String] { ProviderCatalog.names }

    /// The names of an enumeration's values, in declaration order.
    static func names<T: CaseIterable & RawRepresentable>(_: T.Type) -> [String] where T.RawValue == String {
        T.allCases.map(\.rawValue)
    }

    static let all: [SettingDescriptor] = [
        SettingDescriptor(
            field: .provider, name: "provider",
            // Switching also restores the model, URL and concurrency last used with the
            // provider; `SettingsReducer.commit` does that for typed and stepped changes alike.
            values: .choices({ _ in providerNames }, whenAbsent: .atFirst),
            format: { $0.provider },
            parse: { t, s in
                guard providerNames.contains(t) else { return false }
                s.provider = t
                return true
            },
            rescoresWithoutCalls: false),
        SettingDescriptor(
            field: .model, name: "model",
            // The models the price table knows for this provider (its preset's default first);
            // Enter types any name.
            values: .choices({ s in
                var choices = PriceTable.bundled.models(for: s.provider)
                let preset = ProviderCatalog.defaultModel(s.provider)
                if !preset.isEmpty, !choices.contains(preset) { choices.insert(preset, at: 0) }
                return choices
            }, whenAbsent: .betweenLastAndFirst),
            format: { $0.model },
            parse: { t, s in
                guard !t.isEmpty else { return false }
                s.model = t
                return true
            },
            rescoresWithoutCalls: false),
        SettingDescriptor(
            field: .baseURL, name: "base URL",
            values: .typedOnly,
            format: { $0.baseURL ?? "" },
            // Empty goes back to the provider's default URL.
            parse: { t, s in s.baseURL = t.isEmpty ? nil : t; return true },
            rescoresWithoutCalls: false),
        SettingDescriptor(
            field: .mode, name: "mode",
            values: .choices({ _ in names(PromptMode.self) }, whenAbsent: .atFirst),
            format: { $0.mode.rawValue },
            parse: { t, s in
                guard let v = PromptMode(rawValue: t) else { return false }
                s.mode = v
                return true
            },
            rescoresWithoutCalls: false),
        SettingDescriptor(
            field: .parser, name: "parser",
            values: .choices({ _ in names(ScoreParserKind.self) }, whenAbsent: .atFirst),
            format: { $0.parser.rawValue },
            parse: { t, s in
                guard let v = ScoreParserKind(rawValue: t) else { return false }
                s.parser = v
                // Only the logprob parser reads token probabilities; asking for them
                // otherwise costs tokens and is refused by some providers.
                s.topLogprobs = v == .logprob ? 20 : nil
                return true
            },
            rescoresWithoutCalls: true),
        SettingDescriptor(
            field: .scale, name: "scale",
            values: .choices({ _ in names(ScoreScale.self) }, whenAbsent: .atFirst),
            format: { $0.scale.rawValue },
            parse: { t, s in
                guard let v = ScoreScale(name: t) else { return false }
                s.scale = v
                return true
            },
            rescoresWithoutCalls: true),
        SettingDescriptor(
            field: .temperature, name: "temperature",
            values: .steps { s, forward in
                s.temperature = max(0, min(2, ((s.temperature ?? 0) + (forward ? 0.1 : -0.1)) * 10).rounded() / 10)
            },
            format: { ($0.temperature ?? 0).formatted(decimals: 1) },
            parse: { t, s in
                guard let v = Double(t), v >= 0, v <= 2 else { return false }
                s.temperature = v
                return true
            },
            rescoresWithoutCalls: false),
        SettingDescriptor(
            field: .maxTokens, name: "max tokens",
            values: .steps { s, forward in s.maxTokens = max(1, (s.maxTokens ?? 100) + (forward ? 50 : -50)) },
            format: { String($0.maxTokens ?? 100) },
            parse: { t, s in
                guard let v = Int(t), v > 0 else { return false }
                s.maxTokens = v
                return true
            },
            rescoresWithoutCalls: false),
        SettingDescriptor(
            field: .topK, name: "top_k",
            // Stepping below 1 means "all", as an empty field does.
            values: .steps { s, forward in
                let k = (s.topK ?? 0) + (forward ? 1 : -1)
                s.topK = k <= 0 ? nil : k
            },
            format: { $0.topK.map(String.init) ?? "" },
            parse: { t, s in
                if t.isEmpty || t == "0" { s.topK = nil; return true }
                guard let v = Int(t), v > 0 else { return false }
                s.topK = v
                return true
            },
            rescoresWithoutCalls: true),
        SettingDescriptor(
            field: .samples, name: "samples",
            values: .steps { s, forward in s.samples = max(1, s.samples + (forward ? 1 : -1)) },
            format: { String($0.samples) },
            parse: { t, s in
                guard let v = Int(t), v > 0 else { return false }
                s.samples = v
                return true
            },
            rescoresWithoutCalls: false),
        SettingDescriptor(
            field: .concurrency, name: "concurrency",
            values: .steps { s, forward in s.concurrency = max(1, s.concurrency + (forward ? 1 : -1)) },
            format: { String($0.concurrency) },
            parse: { t, s in
                guard let v = Int(t), v > 0 else { return false }
                s.concurrency = v
                return true
            },
            rescoresWithoutCalls: false),
        SettingDescriptor(
            field: .failurePolicy, name: "on failure",
            values: .choices({ _ in names(FailurePolicy.self) }, whenAbsent: .atFirst),
            format: { $0.failurePolicy.rawValue },
            parse: { t, s in
                guard let v = FailurePolicy(rawValue: t) else { return false }
                s.failurePolicy = v
                return true
            },
            rescoresWithoutCalls: true),
        SettingDescriptor(
            field: .ties, name: "ties",
            values: .choices({ _ in names(TiePolicy.self) }, whenAbsent: .atFirst),
            format: { $0.ties.rawValue },
            parse: { t, s in
                guard let v = TiePolicy(rawValue: t) else { return false }
                s.ties = v
                return true
            },
            rescoresWithoutCalls: true),
        SettingDescriptor(
            field: .cutoff, name: "NDCG@k",
            // Stepping keeps one cutoff; typing takes a list ("5,10").
            values: .steps { s, forward in
                let k = max(1, s.metrics.primaryMetric == .ndcg ? 10 : (s.metrics.cutoffs.last ?? 10) + (forward ? 1 : -1))
                s.metrics = MetricSettings(cutoffs: [k], relevanceThreshold: s.metrics.relevanceThreshold, gain: s.metrics.gain, judged: s.metrics.judged)
            },
            format: { $0.metrics.cutoffs.map(String.init).joined(separator: ",") },
            parse: { t, s in
                let ks = t.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
                guard !ks.isEmpty else { return false }
                s.metrics = MetricSettings(cutoffs: ks, relevanceThreshold: s.metrics.relevanceThreshold, gain: s.metrics.gain, judged: s.metrics.judged)
                return true
            },
            rescoresWithoutCalls: true),
    ]
}
