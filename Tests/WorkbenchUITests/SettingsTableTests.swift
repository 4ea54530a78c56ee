import Foundation
import RerankKit
import Testing
@testable import WorkbenchUI

/// The settings descriptor table: one row per field, parse and format agree, and the rows
/// marked "re-scores without calls" really make none.
@Suite struct SettingsTableTests {
    /// Settings where every field differs from the defaults.
    static var varied: RunSettings {
        var s = RunSettings()
        s.provider = "openai"
        s.model = "gpt-4o"
        s.baseURL = "http://127.0.0.1:9/v1"
        s.mode = .template
        s.parser = .labeled
        s.scale = .ten
        s.temperature = 0.7
        s.maxTokens = 250
        s.topK = 3
        s.samples = 2
        s.concurrency = 4
        s.failurePolicy = .strict
        s.ties = .trec
        s.metrics = MetricSettings(cutoffs: [5, 10])
        return s
    }

    static let rescoring = SettingField.allCases.filter { SettingsTable.descriptor(for: $0).rescoresWithoutCalls }
    static let notRescoring = SettingField.allCases.filter { !SettingsTable.descriptor(for: $0).rescoresWithoutCalls }

    @Test func oneRowPerFieldInPaneOrder() {
        #expect(SettingsTable.all.map(\.field) == SettingField.allCases)
        #expect(Set(SettingsTable.all.map(\.name)).count == SettingField.allCases.count)
    }

    @Test(arguments: SettingField.allCases) func formatThenParseGivesTheSameValue(field: SettingField) {
        let row = SettingsTable.descriptor(for: field)
        for settings in [RunSettings(), Self.varied] {
            let text = row.format(settings)
            var fresh = RunSettings()
            #expect(row.parse(text, &fresh), "\(row.name): \"\(text)\" was refused")
            #expect(row.format(fresh) == text, "\(row.name)")
        }
    }

    @Test(arguments: SettingField.allCases) func everyChoiceParsesToItself(field: SettingField) {
        let row = SettingsTable.descriptor(for: field)
        guard case let .choices(list, _) = row.values else { return }
        for settings in [RunSettings(), Self.varied] {
            for choice in list(settings) {
                var s = settings
                #expect(row.parse(choice, &s) && row.format(s) == choice, "\(row.name): \(choice)")
            }
        }
    }

    @Test(arguments: [(SettingField.provider, "nope"), (.model, ""), (.mode, "legacy"), (.parser, "regex"), (.scale, "0-5"),
                      (.temperature, "2.5"), (.maxTokens, "0"), (.topK, "-1"), (.samples, "0"), (.concurrency, "many"),
                      (.failurePolicy, "lenient"), (.ties, "random"), (.cutoff, "ten")])
    func invalidTextIsRefusedAndChangesNothing(field: SettingField, text: String) throws {
        var s = Self.varied
        #expect(!SettingsTable.descriptor(for: field).parse(text, &s))
        // Through the reducer: the status says which setting and what was typed.
        var state = try WorkbenchFixtures.state(width: 120, height: 40)
        let before = state.settings
        SettingsReducer.apply(&state, field, text)
        #expect(state.settings == before)
        #expect(state.statusIsError && state.status.contains("is not a valid value"))
    }

    /// Stepping a row with a list from a value in it goes round it and back.
    @Test(arguments: SettingField.allCases) func stepForwardThenBackReturns(field: SettingField) {
        let row = SettingsTable.descriptor(for: field)
        guard case let .choices(list, _) = row.values, list(Self.varied).contains(row.format(Self.varied)),
              let next = row.stepped(Self.varied, forward: true) else { return }
        #expect(row.stepped(next, forward: false).map(row.format) == row.format(Self.varied), "\(row.name)")
    }

    @Test func theRescoringRowsAreTheOnesReportsTakeFromTheCurrentSettings() {
        #expect(Set(Self.rescoring) == [.parser, .scale, .topK, .failurePolicy, .ties, .cutoff])
    }

    @Test(arguments: SettingsTableTests.rescoring) func aRescoringStepMakesNoCallsAndRescores(field: SettingField) async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        let results = s.results
        s.focus = .settings
        s.settingsCursor = field.rawValue
        for key in [Key.right, .left] {
            let effects = WorkbenchReducer.reduce(&s, .key(key))
            #expect(!effects.contains { if case .startRun = $0 { return true } else { return false } }, "\(field)")
            #expect(!effects.contains(.cancelRun))
            #expect(!s.isRunning)
            #expect(s.results.count == results.count, "the stored replies are kept")
            #expect(s.status.contains("no calls"), "\(field): \(s.status)")
            // The report is the builder's on the stored replies with the new settings.
            let direct = RunReportBuilder(dataset: s.dataset!, prompt: s.currentPrompt, settings: s.settings).build(results: s.results)
            #expect(direct.rerankedMean == s.report!.rerankedMean, "\(field)")
        }
    }

    @Test(arguments: SettingsTableTests.notRescoring) func anyOtherStepMakesNoCallsEither(field: SettingField) async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        s.focus = .settings
        s.settingsCursor = field.rawValue
        let effects = WorkbenchReducer.reduce(&s, .key(.right))
        #expect(!effects.contains { if case .startRun = $0 { return true } else { return false } }, "\(field)")
        // What is sent changed, so the stored replies are not said to be re-scored.
        #expect(!s.status.contains("no calls"), "\(field): \(s.status)")
    }

    /// The report on screen takes the rescoring rows from the current settings and every other
    /// row from the run's own settings.
    @Test(arguments: SettingField.allCases) func reportSettingsFollowTheTable(field: SettingField) async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        let row = SettingsTable.descriptor(for: field)
        let run = try #require(s.runSettings)
        var changed = run
        #expect(row.parse(row.format(Self.varied), &changed))
        guard row.format(changed) != row.format(run) else { return }
        s.settings = changed
        let expected = row.rescoresWithoutCalls ? changed : run
        #expect(row.format(s.reportSettings) == row.format(expected), "\(row.name)")
    }

    @Test func typedValuesGoThroughTheSameRows() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        SettingsReducer.apply(&s, .cutoff, " 5, 10 ")
        #expect(s.settings.metrics.cutoffs == [5, 10])
        SettingsReducer.apply(&s, .topK, "0")
        #expect(s.settings.topK == nil)
        SettingsReducer.apply(&s, .parser, "logprob")
        #expect(s.settings.parser == .logprob && s.settings.topLogprobs == 20)
        SettingsReducer.apply(&s, .baseURL, "")
        #expect(s.settings.baseURL == nil)
    }
}
