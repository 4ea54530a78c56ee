import Foundation

/// Builds a dataset from a dump of mem0 `search()` results plus a labels file.
///
/// Results, JSONL, one line per query:
/// `{"query_id": "q1", "query": "What foods should I avoid?", "user_id": "alice", "results": R}`
/// where R is what `Memory.search()` returned: `{"results": [{"id", "memory", "score", ...}]}`
/// (mem0 1.x and later; a `relations` key beside it is ignored) or the bare list older versions
/// returned. So `json.dumps({"query_id": qid, "query": q, "results": m.search(q, user_id=u)})`
/// writes a line.
///
/// Labels, JSONL, one line per judged memory: `{"query_id": "q1", "id": "<memory id>",
/// "relevance": 2}`. A label for a memory that the search did not return goes into `judgments`.
public struct Mem0ResultsImporter: Sendable {
    public var resultsPath: String
    public var labelsPath: String

    public init(resultsPath: String, labelsPath: String) {
        self.resultsPath = resultsPath
        self.labelsPath = labelsPath
    }

    public func importQueries() throws(InputError) -> ImportedDataset {
        var notes = ImportNotes()
        var queries = try readResults(notes: &notes)
        let labels = try readLabels()
        let known = Set(queries.map(\.id))
        for (qid, line) in labels.firstLine.sorted(by: { $0.value < $1.value }) where !known.contains(qid) {
            notes.add(.warning, "label query ids with no search result, ignored", example: "\(TerminalText.quoted(qid)) (\(labelsPath):\(line))")
        }
        for i in queries.indices {
            let own = labels.byQuery[queries[i].id] ?? [:]
            var outside = own
            for j in queries[i].candidates.indices {
                let id = queries[i].candidates[j].id
                queries[i].candidates[j].relevance = own[id]
                outside[id] = nil
            }
            queries[i].judgments = outside
            if own.isEmpty {
                notes.add(.warning, "queries with no label, imported unjudged (every metric is 0 for them)", example: queries[i].id)
            }
        }
        return ImportedDataset(queries: queries, notes: notes.notes)
    }

    func readResults(notes: inout ImportNotes) throws(InputError) -> [Query] {
        let lines = try TRECFiles.lines(resultsPath, role: "mem0 results")
        if let first = lines.first, first.1.trimmingCharacters(in: .whitespaces).hasPrefix("[") {
            throw InputError(file: resultsPath, line: first.0, message: "a JSON array; write one object per line (JSONL): {\"query_id\", \"query\", \"results\": <what search() returned>}")
        }
        var collector = IssueCollector(file: resultsPath, limit: 20)
        var queries: [Query] = []
        var seen: [String: Int] = [:]
        for (n, text) in lines {
            guard let bytes = DatasetLoader.meaningfulContent(ArraySlice(text.utf8)) else { continue }
            let value: JSONValue
            do { value = try JSONParser.parse(Array(bytes)) } catch {
                collector.add(line: n, field: "", "invalid JSON at \(error.description); each line is one object {\"query_id\", \"query\", \"results\"}")
                continue
            }
            guard case .object = value else {
                collector.add(line: n, field: "", "expected a JSON object, found \(value.typeName)")
                continue
            }
            let before = collector.count
            let qid = DatasetLoader.identifier(value["query_id"], field: "query_id", line: n, collector: &collector)
            let query = value["query"]?.stringValue
            if query == nil { collector.add(line: n, field: "query", "missing or not a string; give the text the search was run with") }
            var userID: String?
            switch value["user_id"] {
            case let .some(.string(s)): userID = s
            case let .some(.number(_, literal)): userID = literal
            default: userID = nil
            }
            // mem0's return value, or the list inside it.
            var items: [JSONValue]?
            var field = "results"
            switch value["results"] {
            case let .some(.array(list)): items = list
            case let .some(.object(members)):
                field = "results.results"
                if case let .some(.array(list)) = members.last(where: { $0.0 == "results" })?.1 { items = list } else {
                    collector.add(line: n, field: field, "missing or not an array; search() returns {\"results\": [...]}")
                }
            case .none, .some(.null):
                collector.add(line: n, field: "results", "missing; give what search() returned, {\"results\": [{\"id\", \"memory\", \"score\"}]}")
            case let .some(other):
                collector.add(line: n, field: "results", "expected {\"results\": [...]} or a list, found \(other.typeName)")
            }
            var candidates: [Candidate] = []
            var ids: [String: Int] = [:]
            for (i, item) in (items ?? []).enumerated() {
                // The dataset loader's reading of one candidate: id, then memory/text/content, score.
                var inner = IssueCollector(file: resultsPath, limit: 20)
                let c = DatasetLoader.candidate(item, index: i, line: n, collector: &inner)
                for issue in inner.issues {
                    collector.add(line: n, field: issue.field.replacingOccurrences(of: "candidates[", with: "\(field)["), issue.message)
                }
                guard var c else { continue }
                c.relevance = nil  // Labels come from the labels file only.
                if let first = ids[c.id] {
                    collector.add(line: n, field: "\(field)[\(i)].id", "duplicate id \(TerminalText.quoted(c.id)) (also \(field)[\(first)]); a search returns each memory once")
                    continue
                }
                ids[c.id] = i
                candidates.append(c)
            }
            if items?.isEmpty == true {
                collector.add(line: n, field: field, "empty; the search returned nothing to rerank, so leave this query out")
            }
            guard collector.count == before, let qid, let query else { continue }
            if let first = seen[qid] {
                collector.add(line: n, field: "query_id", "duplicate query id \(TerminalText.quoted(qid)) (first on line \(first)); give each search its own id")
                continue
            }
            seen[qid] = n
            // The order mem0 handed the reranker is the baseline. Scores that rise down the list
            // are distances (some vector stores return them), and reading them as similarities
            // would reverse it; such a query keeps the order and drops the scores.
            let scores = candidates.compactMap(\.firstStageScore)
            if scores.count == candidates.count, zip(scores, scores.dropFirst()).contains(where: { $0 < $1 }) {
                for j in candidates.indices { candidates[j].firstStageScore = nil }
                notes.add(.warning, "queries whose scores rise down the list (distances?), kept in mem0's order without scores", example: qid)
            }
            queries.append(Query(id: qid, text: query, userID: userID, candidates: Query.baselineOrder(candidates), line: n))
        }
        if let e = collector.error { throw e }
        if queries.isEmpty { throw InputError(file: resultsPath, message: "no query in the file") }
        return queries
    }

    struct Labels { var byQuery: [String: [String: Int]] = [:]; var firstLine: [String: Int] = [:] }

    func readLabels() throws(InputError) -> Labels {
        var collector = IssueCollector(file: labelsPath, limit: 20)
        var out = Labels()
        var labelLine: [String: Int] = [:]
        for (n, text) in try TRECFiles.lines(labelsPath, role: "labels") {
            guard let bytes = DatasetLoader.meaningfulContent(ArraySlice(text.utf8)) else { continue }
            guard let value = try? JSONParser.parse(Array(bytes)), case .object = value else {
                collector.add(line: n, field: "", "expected one JSON object per line: {\"query_id\": \"q1\", \"id\": \"<memory id>\", \"relevance\": 1}")
                continue
            }
            let qid = DatasetLoader.identifier(value["query_id"], field: "query_id", line: n, collector: &collector)
            let id = DatasetLoader.identifier(value["id"], field: "id", line: n, collector: &collector)
            var label: Int?
            switch value["relevance"] {
            case let .some(.number(d, literal)):
                if d.isFinite, d == d.rounded(), abs(d) <= 1e9 { label = Int(d) } else {
                    collector.add(line: n, field: "relevance", "\(literal) is not an integer; labels are graded integers (0 = not relevant, 1, 2, ...)")
                }
            case .none, .some(.null):
                collector.add(line: n, field: "relevance", "missing; add an integer label (0 = not relevant, 1, 2, ...)")
            case let .some(other):
                collector.add(line: n, field: "relevance", "expected an integer label, found \(other.typeName)")
            }
            guard let qid, let id, let label else { continue }
            // A negative label means unjudged, as in the dataset format.
            guard label >= 0 else { continue }
            let key = qid + "\u{0}" + id
            if let previous = out.byQuery[qid]?[id] {
                if previous != label {
                    collector.add(line: n, field: "relevance", "\(label) conflicts with \(previous) for \(TerminalText.quoted(id)) of query \(TerminalText.quoted(qid)) on line \(labelLine[key]!); keep one label per memory")
                }
                continue
            }
            labelLine[key] = n
            out.byQuery[qid, default: [:]][id] = label
            if out.firstLine[qid] == nil { out.firstLine[qid] = n }
        }
        if let e = collector.error { throw e }
        return out
    }
}
