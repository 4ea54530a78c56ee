import Foundation

/// Builds a dataset from a BEIR folder (`corpus.jsonl`, `queries.jsonl`, `qrels/<split>.tsv`) and
/// a TREC run file choosing each query's candidates.
public struct BEIRImporter: Sendable {
    public var folder: String
    public var runPath: String
    public var split: String
    public var depth: Int?

    public init(folder: String, runPath: String, split: String = "test", depth: Int? = nil) {
        self.folder = folder
        self.runPath = runPath
        self.split = split
        self.depth = depth
    }

    public func importQueries() throws(InputError) -> ImportedDataset {
        let corpus = (folder as NSString).appendingPathComponent("corpus.jsonl")
        let queries = (folder as NSString).appendingPathComponent("queries.jsonl")
        let qrelsPath = ((folder as NSString).appendingPathComponent("qrels") as NSString).appendingPathComponent("\(split).tsv")
        let run = try TRECFiles.run(runPath)
        let qrels = try Self.qrels(qrelsPath)
        return try TRECImporter.assemble(run: run, runPath: runPath, qrels: qrels,
                                         queryTexts: try TRECFiles.texts(queries, role: "queries"), queriesPath: queries,
                                         docTexts: try TRECFiles.texts(corpus, role: "corpus"), documentsPath: corpus, depth: depth)
    }

    /// BEIR qrels: a TSV with a `query-id corpus-id score` header.
    static func qrels(_ path: String) throws(InputError) -> [String: [String: Int]] {
        var out: [String: [String: Int]] = [:]
        var issues: [InputIssue] = []
        for (n, text) in try TRECFiles.lines(path, role: "qrels") {
            let f = text.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }
            if n == 1, f.first == "query-id" { continue }
            guard f.count >= 3, let label = Int(f[2]) else {
                issues.append(InputIssue(file: path, line: n, message: "expected `query-id<TAB>corpus-id<TAB>score` with an integer score"))
                continue
            }
            if let bad = TRECFiles.badID(f[0], field: "query-id") ?? TRECFiles.badID(f[1], field: "corpus-id") {
                issues.append(InputIssue(file: path, line: n, field: bad.field, message: bad.message))
                continue
            }
            out[f[0], default: [:]][f[1]] = label
        }
        if !issues.isEmpty { throw InputError(issues: Array(issues.prefix(20)), moreCount: max(0, issues.count - 20)) }
        return out
    }
}
