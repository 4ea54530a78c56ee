import Foundation
import RerankCommandLine
import RerankKit
import RerankTestSupport
import Testing

/// The choices' own `allValueStrings` (made without ArgumentParser's generic key path) list what
/// the default listed: every case's raw value, in order, as help and completion show them.
@Suite struct ArgumentChoicesTests {
    @Test func theChoicesAreTheRawValuesInOrder() {
        #expect(SplitSelection.allValueStrings == ["dev", "test", "all"])
        #expect(OpenAIRoute.allValueStrings == OpenAIRoute.allCases.map(\.rawValue))
        #expect(!OpenAIRoute.allValueStrings.isEmpty)
    }

    @Test func helpListsEveryChoiceOfAnOption() async throws {
        let help = try await CommandRunner.run("rerank-eval", ["run", "--help"], in: Fixtures.repositoryRoot)
        #expect(help.status == 0)
        let flat = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("(values: mem0, last-number, labeled, json, logprob)"), "\(help.stdout)")
        #expect(flat.contains("(values: table, json, jsonl, csv, trec; default: table)"), "\(help.stdout)")
        #expect(flat.contains("(values: dev, test, all)"), "\(help.stdout)")
    }
}
