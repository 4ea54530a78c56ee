import Foundation
import RerankCore

/// The Settings pane: stepping and typing values by `SettingsTable`'s rows, the providers'
/// state, and keys given for the session.
enum SettingsReducer {
    static var lockedMessage: String { "settings are locked while a run is going" }

    /// → and ←: the next or previous value of the selected row.
    static func step(_ state: inout WorkbenchState, forward: Bool) -> [Effect] {
        guard !state.isRunning else {
            state.setStatus(lockedMessage, error: true)
            return []
        }
        let row = SettingsTable.descriptor(for: SettingField.allCases[state.settingsCursor])
        guard let next = row.stepped(state.settings, forward: forward) else {
            // Nothing to step through: type the value instead.
            state.modals.append(.input(.setting(row.field), text: row.format(state.settings)))
            return []
        }
        commit(&state, next)
        if row.rescoresWithoutCalls {
            RunReducer.rebuildReport(&state)
            if !state.results.isEmpty { state.setStatus("re-scored the stored replies with the new \(row.name) (no calls)") }
        }
        return [.saveSession]
    }

    /// Enter types, as the key bar says, on every row (prefilled with the value now).
    static func editSelected(_ state: inout WorkbenchState) -> [Effect] {
        guard !state.isRunning else {
            state.setStatus(lockedMessage, error: true)
            return []
        }
        let field = SettingField.allCases[state.settingsCursor]
        state.modals.append(.input(.setting(field), text: SettingsTable.descriptor(for: field).format(state.settings)))
        return []
    }

    /// A typed value: kept if the row can read it, otherwise refused on the status line.
    static func apply(_ state: inout WorkbenchState, _ field: SettingField, _ text: String) {
        let row = SettingsTable.descriptor(for: field)
        let t = text.trimmingCharacters(in: .whitespaces)
        var s = state.settings
        guard row.parse(t, &s) else {
            state.setStatus("\(row.name): \"\(t)\" is not a valid value", error: true, about: .setting(field))
            return
        }
        state.settingAccepted(field)
        commit(&state, s)
        RunReducer.rebuildReport(&state)
    }

    /// Makes `next` the settings. A provider switch remembers the model, base URL and
    /// concurrency of the provider left, and restores what the user last had on the one chosen
    /// (its defaults the first time), so trying another provider loses nothing.
    static func commit(_ state: inout WorkbenchState, _ next: RunSettings) {
        var s = next
        let left = state.settings
        if s.provider != left.provider {
            state.providerChoices[left.provider] = ProviderChoice(model: left.model, baseURL: left.baseURL, concurrency: left.concurrency)
            if let back = state.providerChoices[s.provider] {
                s.model = back.model
                s.baseURL = back.baseURL
                s.concurrency = back.concurrency
            } else {
                s.model = ProviderCatalog.defaultModel(s.provider)
                s.baseURL = nil
                s.concurrency = ProviderCatalog.defaultConcurrency(s.provider)
            }
        }
        state.settings = s
    }

    static func providersChecked(_ state: inout WorkbenchState, _ list: [ProviderStatus]) {
        state.providers = list
    }

    /// K: asks for a key for the provider chosen, when it takes one.
    static func askForAPIKey(_ state: inout WorkbenchState) -> [Effect] {
        guard !state.providerIsBaseline, state.settings.provider != ProviderPreset.localName else {
            state.setStatus("\(state.settings.provider) needs no API key", error: true)
            return []
        }
        state.modals.append(.input(.apiKey(provider: state.settings.provider), text: ""))
        return []
    }

    /// The key goes to the shell for this session's runs; the state keeps only that one was given.
    static func keepSessionKey(_ state: inout WorkbenchState, provider: String, _ text: String) -> [Effect] {
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { return [] }
        state.sessionKeyProviders.insert(provider)
        state.setStatus("key for \(provider) kept in memory for this session only (never written anywhere)")
        return [.setSessionKey(provider: provider, key: key)]
    }
}
