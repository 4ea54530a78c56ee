import Foundation
import RerankKit
@testable import RerankCore
@testable import RerankProviders
@testable import RerankStore
import RerankTestSupport
import Testing

/// The core's errors carry a code to match on and their fix as `Remedy` values; their plain
/// words name no command-line option (the front ends add theirs).
@Suite struct CodedErrorTests {
    static func storePath() -> String {
        (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("store.sqlite")
    }

    @Test func storeErrorsHaveCodesAndRemedies() throws {
        let notSQLite = Self.storePath()
        Fixtures.write("not a database at all, just text", name: (notSQLite as NSString).lastPathComponent,
                       in: (notSQLite as NSString).deletingLastPathComponent)
        let opened = #expect(throws: StoreError.self) { _ = try RunStore(path: notSQLite) }
        #expect(opened?.code == .notSQLite)
        #expect(opened?.remedies.contains(.useAnotherStore) == true)
        #expect(opened?.description.hasPrefix(notSQLite + ": ") == true)
        #expect(opened?.description.contains("--") == false, "\(opened?.description ?? "")")

        let store = try RunStore(path: Self.storePath())
        let missing = #expect(throws: StoreError.self) { try store.resolve("9") }
        #expect(missing?.code == .noSuchRun && missing?.remedies == [.listRuns])
        let invalid = #expect(throws: StoreError.self) { try store.resolve("yesterday") }
        #expect(invalid?.code == .invalidRunReference)
        #expect(invalid?.description.contains("rerank-eval") == false)
    }

    @Test func localModelErrorsHaveCodes() throws {
        let home = LocalModelHome(root: Fixtures.temporaryDirectory() + "/llm")
        let notInstalled = LocalModelError.notInstalled(home)
        #expect(notInstalled.code == .notInstalled && notInstalled.remedies == [.installLocalModel])
        #expect(!notInstalled.description.contains("rerank-eval"))

        // A server that could not bind its port is told apart by its code, not by the caller
        // searching the message.
        let dir = Fixtures.temporaryDirectory()
        Fixtures.write("loading\nERROR: bind: address already in use\n", name: "taken.log", in: dir)
        Fixtures.write("loading\nFailed to load model\n", name: "broken.log", in: dir)
        #expect(LocalServer.exited(log: dir + "/taken.log").code == .portInUse)
        #expect(LocalServer.exited(log: dir + "/broken.log").code == .serverExited)
        #expect(LocalServer.exited(log: dir + "/broken.log").description.contains("Failed to load model"))
    }

    @Test func providerSetupErrorsCarryTheLocalModelsCodeAndRemedy() throws {
        let home = Fixtures.temporaryDirectory() + "/llm"
        let preset = try #require(ProviderPreset.named(ProviderPreset.localName))
        let spec = ProviderSpec.endpoint(ProviderEndpoint(preset: preset), model: "m", local: .init(modelFile: nil, slots: 1))
        let error = #expect(throws: ProviderSetupError.self) {
            _ = try ProviderFactory.make(spec, dataset: Dataset(path: "x", queries: []), environment: [LocalModelHome.variable: home])
        }
        #expect(error?.code == .localModelNotInstalled)
        #expect(error?.remedies == [.installLocalModel])
    }

    @Test func inputErrorsKeepTheirRemediesApartFromTheProblem() throws {
        let data = Fixtures.temporaryDirectory() + "/d.jsonl"
        try DatasetWriter.write(Fixtures.dataset(queries: 4, candidates: 2).queries, to: data)
        let share = #expect(throws: InputError.self) { _ = try DatasetSplitter(testFraction: 1.5, seed: 1, groupField: nil).split(path: data) }
        #expect(share?.issues.first?.remedies == [.use(.testShare, value: "0.3")])
        let group = #expect(throws: InputError.self) { _ = try DatasetSplitter(testFraction: 0.3, seed: 1, groupField: "nope").split(path: data) }
        #expect(group?.issues.first?.remedies.contains(.drop(.groupBy)) == true)
        let recording = #expect(throws: InputError.self) { _ = try Recording.load(path: data + ".missing") }
        #expect(recording?.issues.first?.remedies == [.makeRecording])
        let prompt = #expect(throws: InputError.self) { _ = try ScoringPrompt.load(path: data + ".missing") }
        #expect(prompt?.issues.first?.remedies == [.listPrompts])
        for error in [share, group, recording, prompt].compactMap({ $0 }) {
            #expect(!error.description.contains("--") && !error.description.contains("rerank-eval"), "\(error)")
        }
    }

    @Test func callErrorKindsReadAndWriteTheirOldWords() throws {
        for (word, kind) in [("http 429", CallErrorKind.http(status: 429)), ("timeout", .timeout), ("connection", .connection),
                             ("malformed reply", .malformedReply), ("recorded failure", .recordedFailure),
                             ("configuration", .configuration), ("cancelled", .cancelled), ("rate_limit", .other("rate_limit")),
                             ("http", .other("http")), ("http 4x", .other("http 4x"))] {
            #expect(CallErrorKind(rawValue: word) == kind, "\(word)")
            #expect(kind.rawValue == word)
        }
        #expect(ProviderError.http(status: 503, message: "busy", retryAfter: nil).kind == .http(status: 503))
        #expect(ProviderError.configuration("bad key").kind == .configuration)

        // Stored as the plain word, as before.
        let result = PairResult(queryID: "q", candidateID: "c", sampleIndex: 0, reply: nil, error: "HTTP 429", errorKind: .http(status: 429))
        let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        #expect(json.contains("\"errorKind\":\"http 429\""), "\(json)")
        #expect(try JSONDecoder().decode(PairResult.self, from: Data(json.utf8)).errorKind == .http(status: 429))
    }
}
