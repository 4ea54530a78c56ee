import Foundation

/// Readers for the whitespace-separated TREC files and the id/text sources importers combine.
enum TRECFiles {
    struct RunLine { var queryID: String; var docID: String; var score: Double; var line: Int }

    static func lines(_ path: String, role: String) throws(InputError) -> [(Int, String)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw InputError(file: path, message: "no such \(role) file; check the path")
        }
        var out: [(Int, String)] = []
        for (n, bytes) in LineReader(path: path) {
            let text = String(decoding: bytes, as: UTF8.self)
            if text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            out.append((n, text))
        }
        if out.isEmpty { throw InputError(file: path, message: "the \(role) file is empty") }
        return out
    }

    /// qrels: `qid iter docid label` -> [qid: [docid: label]].
    static func qrels(_ path: String, issueLimit: Int = 20) throws(InputError) -> [String: [String: Int]] {
        var collector = IssueCollector(file: path, limit: issueLimit)
        var out: [String: [String: Int]] = [:]
        for (n, text) in try lines(path, role: "qrels") {
            let f = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard f.count == 4 else {
                let hint = f.count > 4 ? "; TREC ids cannot contain white space" : ""
                collector.add(line: n, field: "", "expected 4 columns `qid iter docid label`, found \(f.count)\(hint)")
                continue
            }
            guard let label = Int(f[3]) else {
                collector.add(line: n, field: "label", "\(TerminalText.quoted(f[3])) is not an integer label")
                continue
            }
            if let bad = badID(f[0], field: "qid") ?? badID(f[2], field: "docid") {
                collector.add(line: n, field: bad.field, bad.message)
                continue
            }
            out[f[0], default: [:]][f[2]] = label
        }
        if let e = collector.error { throw e }
        return out
    }

    /// A run: `qid Q0 docid rank score tag`.
    static func run(_ path: String, issueLimit: Int = 20) throws(InputError) -> [RunLine] {
        var collector = IssueCollector(file: path, limit: issueLimit)
        var out: [RunLine] = []
        var seen = Set<String>()
        for (n, text) in try lines(path, role: "run") {
            let f = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            // Five columns (no tag) are read too; more means an id with white space in it, which
            // would shift the score column silently.
            guard f.count == 5 || f.count == 6 else {
                let hint = f.count > 6 ? "; TREC ids cannot contain white space" : ""
                collector.add(line: n, field: "", "expected 6 columns `qid Q0 docid rank score tag`, found \(f.count)\(hint)")
                continue
            }
            guard let score = Double(f[4]), score.isFinite else {
                collector.add(line: n, field: "score", "\(TerminalText.quoted(f[4])) is not a finite number")
                continue
            }
            if let bad = badID(f[0], field: "qid") ?? badID(f[2], field: "docid") {
                collector.add(line: n, field: bad.field, bad.message)
                continue
            }
            guard seen.insert(f[0] + "\u{0}" + f[2]).inserted else {
                collector.add(line: n, field: "docid", "document \(TerminalText.quoted(f[2])) appears twice for query \(TerminalText.quoted(f[0]))")
                continue
            }
            out.append(RunLine(queryID: f[0], docID: f[2], score: score, line: n))
        }
        if let e = collector.error { throw e }
        return out
    }

    /// id -> text from a TSV (`id<TAB>text`) or a BEIR-style JSONL (`{"_id", "title"?, "text"}`).
    static func texts(_ path: String, role: String, issueLimit: Int = 20) throws(InputError) -> [String: String] {
        var collector = IssueCollector(file: path, limit: issueLimit)
        var out: [String: String] = [:]
        for (n, text) in try lines(path, role: role) {
            if text.hasPrefix("{") {
                guard let value = try? JSONParser.parse(text), case .object = value else {
                    collector.add(line: n, field: "", "invalid JSON; expected {\"_id\": ..., \"text\": ...}")
                    continue
                }
                let id: String?
                switch value["_id"] ?? value["id"] {
                case let .some(.string(s)): id = s
                case let .some(.number(_, lit)): id = lit
                default: id = nil
                }
                guard let id else { collector.add(line: n, field: "_id", "missing"); continue }
                if let bad = badID(id, field: "_id") {
                    collector.add(line: n, field: bad.field, bad.message)
                    continue
                }
                guard let body = value["text"]?.stringValue else { collector.add(line: n, field: "text", "missing or not a string"); continue }
                let title = value["title"]?.stringValue ?? ""
                out[id] = title.isEmpty ? body : title + ". " + body
            } else {
                guard let tab = text.firstIndex(of: "\t") else {
                    collector.add(line: n, field: "", "expected `id<TAB>text`")
                    continue
                }
                let id = String(text[..<tab])
                if let bad = badID(id, field: "id") {
                    collector.add(line: n, field: bad.field, bad.message)
                    continue
                }
                out[id] = String(text[text.index(after: tab)...])
            }
        }
        if let e = collector.error { throw e }
        return out
    }

    /// Why `id` cannot be a TREC id, or nil when it can: run and qrels lines separate fields by
    /// white space, so such an id could never be matched (or written back) correctly.
    static func badID(_ id: String, field: String) -> (field: String, message: String)? {
        if id.isEmpty { return (field, "empty; every query and document needs an id") }
        if id.contains(where: \.isWhitespace) {
            return (field, "id \(TerminalText.quoted(id)) contains white space, which TREC run and qrels files cannot carry (their fields are separated by white space); remove it from the id everywhere")
        }
        if !TerminalText.isInert(id) {
            return (field, "id \(TerminalText.quoted(id)) contains a control or bidi character; remove it from the id everywhere")
        }
        return nil
    }
}
