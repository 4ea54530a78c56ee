import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert TREC, BEIR, LoCoMo or mem0 search files into the RerankBench dataset format.",
        subcommands: [TREC.self, BEIR.self, LoCoMo.self, Mem0.self]
    )

    struct TREC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trec",
            abstract: "From a TREC run (the candidates), qrels (the labels) and id/text files.",
            discussion: """
            Queries and documents are TSV (`id<TAB>text`) or BEIR-style JSONL ({"_id", "title", "text"}).
            Candidates keep trec_eval's order (score descending, ties by docid descending) and the \
            run's scores as first-stage scores.

            Example:
              rerank-eval import trec --run bm25.run --qrels test.qrels \\
                --queries queries.tsv --docs docs.tsv -o data.jsonl
            """
        )
        @Option(name: .customLong("run"), help: "TREC run file: qid Q0 docid rank score tag.") var runFile: String
        @Option(help: "TREC qrels file: qid iter docid label (optional: without it nothing is judged).") var qrels: String?
        @Option(help: "Query texts.") var queries: String
        @Option(help: "Document texts.") var docs: String
        @Option(help: "Keep at most this many candidates per query.") var depth: Int?
        @Option(name: .shortAndLong, help: "Output dataset file (.jsonl).") var output: String

        func run() throws {
            let importer = TRECImporter(runPath: runFile, qrelsPath: qrels, queriesPath: queries, documentsPath: docs, depth: depth)
            try write(try wrap { () throws(InputError) in try importer.importQueries() }, to: output)
        }
    }

    struct BEIR: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "beir",
            abstract: "From a BEIR folder (corpus.jsonl, queries.jsonl, qrels/<split>.tsv) and a TREC run.",
            discussion: "Example:\n  rerank-eval import beir --folder scifact --run scifact-bm25.run \\\n    --depth 20 -o scifact.jsonl"
        )
        @Option(help: "The BEIR dataset folder.") var folder: String
        @Option(name: .customLong("run"), help: "TREC run file choosing each query's candidates.") var runFile: String
        @Option(help: "The qrels split to read.") var split: String = "test"
        @Option(help: "Keep at most this many candidates per query.") var depth: Int?
        @Option(name: .shortAndLong, help: "Output dataset file (.jsonl).") var output: String

        func run() throws {
            let importer = BEIRImporter(folder: folder, runPath: runFile, split: split, depth: depth)
            try write(try wrap { () throws(InputError) in try importer.importQueries() }, to: output)
        }
    }
    struct LoCoMo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "locomo",
            abstract: "From the LoCoMo conversational-memory benchmark (locomo10.json).",
            discussion: """
            Each QA entry with evidence becomes a query `<sample_id>/q<N>`. Candidates are the \
            conversation's turns (ids D1:3), observations (O1:4) or session summaries (S1), chosen \
            by BM25 (top 20 unless --depth) or by a TREC run using those ids. Evidence items are \
            labelled 1, other candidates 0; relevant items outside the candidates go into \
            `judgments`. What was dropped or repaired, and why, is reported on stderr.

            Examples:
              rerank-eval import locomo Tests/Fixtures/locomo-small.json -o locomo.jsonl
              rerank-eval import locomo locomo10.json --candidates observations \\
                --depth 30 -o locomo-obs.jsonl
              rerank-eval import locomo locomo10.json --first-stage dense.run \\
                -o locomo-dense.jsonl
            """
        )
        @Argument(help: ArgumentHelp("The LoCoMo file (data/locomo10.json of snap-research/locomo).", valueName: "locomo.json")) var file: String
        @Option(help: "What a candidate is: turns, observations or summaries.") var candidates: String = "turns"
        @Option(name: .customLong("first-stage"), help: ArgumentHelp("bm25, or a TREC run file (qid Q0 docid rank score tag) from any retriever.", valueName: "bm25|FILE.run")) var firstStage: String = "bm25"
        @Option(help: "Keep at most this many candidates per query (BM25 default: 20; a run: all).") var depth: Int?
        @Option(help: "Adversarial questions (category 5): skip or keep.") var adversarial: String = "skip"
        @Option(name: .shortAndLong, help: "Output dataset file (.jsonl).") var output: String

        func validate() throws {
            guard LoCoMoImporter.CandidateKind(rawValue: candidates) != nil else {
                throw ValidationError("--candidates must be turns, observations or summaries, not \(TerminalText.quoted(candidates))")
            }
            guard LoCoMoImporter.Adversarial(rawValue: adversarial) != nil else {
                throw ValidationError("--adversarial must be skip or keep, not \(TerminalText.quoted(adversarial))")
            }
            if let depth, depth < 1 { throw ValidationError("--depth must be at least 1") }
        }

        func run() throws {
            let importer = LoCoMoImporter(path: file, kind: LoCoMoImporter.CandidateKind(rawValue: candidates)!,
                                          firstStage: firstStage == "bm25" ? .bm25 : .run(path: firstStage),
                                          depth: depth, adversarial: LoCoMoImporter.Adversarial(rawValue: adversarial)!)
            try write(try wrap { () throws(InputError) in try importer.importQueries() }, to: output)
        }
    }

    struct Mem0: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mem0",
            abstract: "From a dump of mem0 search() results plus a labels file.",
            discussion: """
            Results (JSONL, one search per line): {"query_id", "query", "user_id"?, "results": \
            <what Memory.search() returned, {"results": [{"id", "memory", "score", ...}]}>}. The \
            returned order is the first-stage order.
            Labels (JSONL): {"query_id", "id", "relevance"}; labels of memories the search did not \
            return go into `judgments`.

            Example:
              rerank-eval import mem0 Tests/Fixtures/mem0-results-small.jsonl --labels Tests/Fixtures/mem0-labels-small.jsonl -o mem0.jsonl
            """
        )
        @Argument(help: ArgumentHelp("The search results (JSONL).", valueName: "results.jsonl")) var results: String
        @Option(help: "The labels (JSONL: query_id, id, relevance).") var labels: String
        @Option(name: .shortAndLong, help: "Output dataset file (.jsonl).") var output: String

        func run() throws {
            let importer = Mem0ResultsImporter(resultsPath: results, labelsPath: labels)
            try write(try wrap { () throws(InputError) in try importer.importQueries() }, to: output)
        }
    }
}

private func wrap(_ body: () throws(InputError) -> ImportedDataset) throws -> ImportedDataset {
    do { return try body() } catch { throw failInput(error.commandLineMessage) }
}

private func write(_ imported: ImportedDataset, to output: String) throws {
    let queries = imported.queries
    do { try DatasetWriter.write(queries, to: output) } catch { throw failInput(error.commandLineMessage) }
    let candidates = queries.reduce(0) { $0 + $1.candidates.count }
    let judged = queries.reduce(0) { $0 + $1.candidates.filter { $0.relevance != nil }.count }
    let outside = queries.reduce(0) { $0 + $1.judgments.count }
    let outsideRelevant = queries.reduce(0) { $0 + $1.relevantOutsidePool(threshold: 1) }
    // The dataset goes to the file; the summary and notes go to stderr, with the other diagnostics.
    printError("wrote \(output): \(queries.count) queries, \(candidates) candidates (\(judged) judged), \(outside) judgments outside the pools (\(outsideRelevant) relevant)")
    let missing = imported.qrelsQueriesWithoutRun
    if !missing.isEmpty {
        printError("warning: \(missing.count) quer\(missing.count == 1 ? "y" : "ies") of the qrels \(missing.count == 1 ? "has" : "have") no line in the run and \(missing.count == 1 ? "was" : "were") not imported (nothing to rerank): \(missing.prefix(10).joined(separator: ", "))\(missing.count > 10 ? ", ..." : "")")
    }
    for note in imported.notes {
        printError("\(note.severity == .warning ? "warning" : "note"): \(note.message(CommandLineWording.remedies))")
    }
}
