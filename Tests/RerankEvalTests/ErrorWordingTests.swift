import Foundation
import RerankCommandLine
import RerankKit
@testable import rerankbench
import RerankTestSupport
import Testing

/// One core error, two front ends' words: `rerank-eval` names the option, the workbench names
/// the settings row or key (or its own start-up option where it has no row).
@Suite struct ErrorWordingTests {
    @Test func aRecipeErrorNamesTheFlagOnTheCommandLineAndTheRowInTheWorkbench() {
        let error = RecipeError(.missingModel, "provider 'openai' has no default model", remedies: [.set(.model, placeholder: "NAME")])
        #expect(error.commandLineMessage == "provider 'openai' has no default model; pass --model NAME")
        #expect(error.workbenchMessage == "provider 'openai' has no default model; set it with the model row in Settings")
        #expect(!error.description.contains("--"))
    }

    @Test func aStoreErrorNamesTheStoreOptionOrTheVariable() {
        let error = StoreError(.notSQLite, path: "s.sqlite", "is not a RerankBench store. Nothing was changed",
                               remedies: [.useAnotherStore, .other("move this one aside")])
        #expect(error.commandLineMessage == "s.sqlite: is not a RerankBench store. Nothing was changed; pass --store with another file (or move this one aside)")
        #expect(error.workbenchMessage.contains("RERANKBENCH_STORE"))
        #expect(!error.workbenchMessage.contains("--store"))
        let run = StoreError(.noSuchRun, path: "s.sqlite", "has no run 9", remedies: [.listRuns])
        #expect(run.commandLineMessage == "s.sqlite: has no run 9; see `rerank-eval history`")
    }

    @Test func aLocalModelErrorNamesTheModelFileOptionAndTheInstall() {
        let home = LocalModelHome(root: "/tmp/llm")
        let file = LocalModelError(.noSuchModelFile, "m.gguf: no such model file", remedies: [.set(.modelFile, placeholder: "GGUF-FILE")])
        #expect(file.commandLineMessage == "m.gguf: no such model file; pass --model-file GGUF-FILE")
        #expect(file.workbenchMessage == "m.gguf: no such model file; start rerankbench with --model-file GGUF-FILE")
        let state = LocalModelState.current(home: home)
        #expect(state == .notInstalled)
        #expect(RemedyWording.plain.join(state.remedies) == "install the local model")
        #expect(CommandLineWording.remedies.join(state.remedies) == "run rerank-eval local install")
    }

    @Test func importNotesAndInputIssuesAreWordedPerFrontEnd() {
        let note = ImportNote(.info, "adversarial questions (category 5) skipped", count: 2, examples: ["q7"], remedies: [.use(.adversarial, value: "keep")])
        #expect(note.message(CommandLineWording.remedies) == "adversarial questions (category 5) skipped (use --adversarial keep): 2 (e.g. q7, ...)")
        #expect(!note.description.contains("--"))
        let issue = InputError(file: "d.jsonl", message: "the test share 1.5 is not between 0 and 1", remedies: [.use(.testShare, value: "0.3")])
        #expect(issue.commandLineMessage == "d.jsonl: the test share 1.5 is not between 0 and 1; use --test 0.3")
        let trec = TRECIDError(queryID: "a b")
        #expect(trec.commandLineMessage.hasSuffix("rename the id in the dataset (or use --format json or csv)"))
    }

    @Test func anErrorWithNoRemediesReadsTheSameEverywhere() {
        struct Plain: Error, CustomStringConvertible { var description: String { "plain words" } }
        #expect(Plain().commandLineMessage == "plain words")
        #expect(Plain().workbenchMessage == "plain words")
    }
}

/// The core speaks no front end's vocabulary: no line of its sources outside a comment spells
/// a command-line option of `rerank-eval` (llama-server's and pip's own options are theirs).
@Suite struct CoreVocabularyTests {
    @Test func noCoreSourceSpellsACommandLineOption() throws {
        let root = Fixtures.repositoryRoot
        let flags = Set(RecipeField.allCases.map(CommandLineWording.flag))
        var found: [String] = [], scanned = 0
        for target in ["RerankCore", "RerankProviders", "RerankStore"] {
            let dir = root + "/Sources/" + target
            let files = FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String } ?? []
            for file in files where file.hasSuffix(".swift") || file.hasSuffix(".json") {
                let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
                scanned += 1
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let code = line.trimmingCharacters(in: .whitespaces)
                    if code.hasPrefix("//") { continue }
                    for flag in flags where code.range(of: flag + "(?![a-z-])", options: .regularExpression) != nil {
                        found.append("\(target)/\(file):\(number + 1): \(flag)")
                    }
                }
            }
        }
        #expect(scanned > 50, "the sources were found")
        #expect(flags.contains("--model-file") && flags.contains("--store"))
        #expect(found.isEmpty, "\(found)")
    }
}
