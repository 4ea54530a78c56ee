import ArgumentParser
import Foundation
import RerankKit

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert TREC or BEIR files into the RerankBench dataset format.",
        subcommands: [TREC.self, BEIR.self]
    )

    struct TREC: ParsableCommand {
        static let configuration = CommandConfiguration(
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
}

private func wrap(_ body: () throws(InputError) -> ImportedDataset) throws -> ImportedDataset {
    do { return try body() } catch { throw failInput(error.description) }
}

private func write(_ imported: ImportedDataset, to output: String) throws {
    let queries = imported.queries
    do { try DatasetWriter.write(queries, to: output) } catch { throw failInput(error.description) }
    let candidates = queries.reduce(0) { $0 + $1.candidates.count }
    let judged = queries.reduce(0) { $0 + $1.candidates.filter { $0.relevance != nil }.count }
    let outside = queries.reduce(0) { $0 + $1.judgments.count }
    let outsideRelevant = queries.reduce(0) { $0 + $1.relevantOutsidePool(threshold: 1) }
    printText("wrote \(output): \(queries.count) queries, \(candidates) candidates (\(judged) judged), \(outside) judgments outside the pools (\(outsideRelevant) relevant)")
    let missing = imported.qrelsQueriesWithoutRun
    if !missing.isEmpty {
        printError("warning: \(missing.count) quer\(missing.count == 1 ? "y" : "ies") of the qrels \(missing.count == 1 ? "has" : "have") no line in the run and \(missing.count == 1 ? "was" : "were") not imported (nothing to rerank): \(missing.prefix(10).joined(separator: ", "))\(missing.count > 10 ? ", ..." : "")")
    }
}
