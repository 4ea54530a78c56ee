import Foundation

/// Reads the labeled JSONL dataset format (`shared/spec/dataset-format.md`).
///
/// Every line is checked; problems are collected (up to `issueLimit`) so one bad line does not hide
/// the others. The file is streamed, so memory stays close to the size of the parsed data.
public struct DatasetLoader: Sendable {
    /// How many problems to report before summarising the rest as a count.
    public var issueLimit: Int

    public init(issueLimit: Int = 20) {
        self.issueLimit = issueLimit
    }

    /// Loads and validates the file at `path`.
    public func load(path: String) throws(InputError) -> Dataset {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, message: "no such file; check the path (datasets ship in Datasets/, for example Datasets/personal-memories.jsonl)")
        }
        guard !isDirectory.boolValue else {
            throw InputError(file: path, message: "is a folder, not a JSONL file; name a .jsonl file inside it")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw InputError(file: path, message: "cannot be read (permission denied)")
        }
        // The file's hash on a thread of its own while the lines are parsed: taken after them, it
        // was a second read of the whole file, on one core, before the queries could show.
        let hashing = DispatchGroup()
        let hash = HashSlot()
        DispatchQueue.global().async(group: hashing) { hash.value = Digest.sha256(fileAt: path) }
        var collector = IssueCollector(file: path, limit: issueLimit)
        var queries: [Query] = []
        var seenQueryLines: [String: Int] = [:]
        var sawContent = false
        // Lines are parsed in batches on every core; each line's problems are collected on
        // their own and taken in line order, so the messages are those a line-by-line read gives.
        var batch: [(line: Int, bytes: [UInt8])] = []
        var batchBytes = 0
        func takeBatch() {
            for parsed in parse(batch, file: path) {
                collector.merge(parsed.issues)
                guard let query = parsed.query else { continue }
                if let first = seenQueryLines[query.id] {
                    collector.add(line: query.line, field: "query_id", "duplicate query id \(TerminalText.quoted(query.id)) (first used on line \(first)); query ids must be unique in a file")
                } else {
                    seenQueryLines[query.id] = query.line
                    queries.append(query)
                }
            }
            batch.removeAll(keepingCapacity: true)
            batchBytes = 0
        }
        for (number, bytes) in LineReader(path: path) {
            guard let content = Self.meaningfulContent(bytes) else { continue }
            sawContent = true
            batch.append((number, Array(content)))
            batchBytes += content.count
            if batchBytes >= Self.batchBytes { takeBatch() }
        }
        takeBatch()
        if !sawContent {
            throw InputError(file: path, message: "the file is empty (no query lines); each line must be a JSON object with query_id, query and candidates")
        }
        if let error = collector.error { throw error }
        if queries.isEmpty {
            throw InputError(file: path, message: "no valid query in the file")
        }
        var warnings: [String] = []
        let unjudged = queries.filter { !$0.hasJudgments }
        if !unjudged.isEmpty {
            let names = unjudged.prefix(5).map { "\(TerminalText.inert($0.id)) (line \($0.line))" }.joined(separator: ", ")
            warnings.append("\(path): \(unjudged.count) quer\(unjudged.count == 1 ? "y has" : "ies have") no judged candidate and score 0 on every metric: \(names)\(unjudged.count > 5 ? ", ..." : "")")
        }
        // All labels 0: nothing relevant is judged, so NDCG, MAP and MRR are 0 whatever the order.
        let allZero = queries.filter { q in
            let labels = q.judgedLabels(.all)
            return !labels.isEmpty && labels.allSatisfy { $0 == 0 }
        }
        if !allZero.isEmpty {
            let names = allZero.prefix(5).map { "\($0.id) (line \($0.line))" }.joined(separator: ", ")
            warnings.append("\(path): \(allZero.count) quer\(allZero.count == 1 ? "y has" : "ies have") only 0 labels, so \(allZero.count == 1 ? "its" : "their") NDCG, MAP and MRR are 0 in every order; label a relevant memory or leave the query out: \(names)\(allZero.count > 5 ? ", ..." : "")")
        }
        hashing.wait()
        return Dataset(path: path, queries: queries, contentHash: hash.value ?? "", warnings: warnings)
    }

    /// The hash, written by its thread before `hashing` is left and read after the wait.
    private final class HashSlot: @unchecked Sendable {
        var value: String?
    }

    /// Bytes of lines parsed together: enough to share out over the cores, little beside the file.
    static let batchBytes = 4 << 20

    /// Parses `lines` (in order) on every core; each result holds that line's own problems.
    func parse(_ lines: [(line: Int, bytes: [UInt8])], file: String) -> [(query: Query?, issues: IssueCollector)] {
        Parallel.map(count: lines.count, minimumPerPart: 32) { i in
            var issues = IssueCollector(file: file, limit: issueLimit)
            let query = parseLine(lines[i].bytes[...], line: lines[i].line, collector: &issues)
            return (query, issues)
        }
    }

    /// The line without surrounding white space, or nil for blank and `//` comment lines.
    static func meaningfulContent(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        var slice = bytes
        while let f = slice.first, f == 0x20 || f == 0x09 || f == 0x0D { slice = slice.dropFirst() }
        while let l = slice.last, l == 0x20 || l == 0x09 || l == 0x0D { slice = slice.dropLast() }
        if slice.isEmpty { return nil }
        if slice.starts(with: [0x2F, 0x2F]) { return nil }
        return slice
    }

    /// Parses and validates one query line; problems go to `collector`.
    func parseLine(_ bytes: ArraySlice<UInt8>, line: Int, collector: inout IssueCollector) -> Query? {
        // Most lines are read straight into their query; a line with anything to report (or
        // anything unusual) is read below, where every message comes from.
        if let query = bytes.withUnsafeBufferPointer({ QueryLineParser.query(from: $0, line: line) }) {
            return query
        }
        return parseLineInGeneral(bytes, line: line, collector: &collector)
    }

    /// The general reading of a query line: parsed into `JSONValue`s, every field checked and
    /// each problem named (the line, the field, the fix).
    func parseLineInGeneral(_ bytes: ArraySlice<UInt8>, line: Int, collector: inout IssueCollector) -> Query? {
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(bytes))
        } catch {
            collector.add(line: line, field: "", "invalid JSON at \(error.description); each line must be one complete JSON object")
            return nil
        }
        guard case .object = value else {
            collector.add(line: line, field: "", "expected a JSON object, found \(value.typeName)")
            return nil
        }
        let before = collector.count
        let queryID = Self.identifier(value["query_id"], field: "query_id", line: line, collector: &collector)
        var queryText: String?
        switch value["query"] {
        case .none, .some(.null):
            collector.add(line: line, field: "query", "missing; add the query text, e.g. \"query\": \"What foods should I avoid?\"")
        case let .some(.string(s)):
            if s.isBlank {
                collector.add(line: line, field: "query", "empty; give the query text the memories are ranked for")
            } else {
                queryText = s
            }
        case let .some(other):
            collector.add(line: line, field: "query", "expected a string, found \(other.typeName)")
        }
        let userID: String? = {
            switch value["user_id"] {
            case let .some(.string(s)): return s
            case let .some(.number(_, literal)): return literal
            default: return nil
            }
        }()
        var candidates: [Candidate] = []
        switch value["candidates"] {
        case .none, .some(.null):
            collector.add(line: line, field: "candidates", "missing; add the first-stage results as an array of {\"id\", \"text\", \"relevance\", \"score\"} objects")
        case let .some(.array(items)):
            if items.isEmpty {
                collector.add(line: line, field: "candidates", "empty; a query needs at least one candidate")
            }
            var seen: [String: Int] = [:]
            for (i, item) in items.enumerated() {
                // Duplicates are found from the raw ids, so a candidate with other problems
                // still has its duplicate id reported in the same pass.
                var duplicate = false
                if let id = Self.rawIdentifier(item["id"]) {
                    if let first = seen[id] {
                        collector.add(line: line, field: "candidates[\(i)].id", "duplicate id \(TerminalText.quoted(id)) (also candidates[\(first)]); candidate ids must be unique within a query")
                        duplicate = true
                    } else {
                        seen[id] = i
                    }
                }
                guard let c = Self.candidate(item, index: i, line: line, collector: &collector), !duplicate else { continue }
                candidates.append(c)
            }
        case let .some(other):
            collector.add(line: line, field: "candidates", "expected an array, found \(other.typeName)")
        }
        let judgments = Self.judgments(value["judgments"], candidates: candidates, line: line, collector: &collector)
        let split = Self.split(value["split"], line: line, collector: &collector)
        guard collector.count == before, let queryID, let queryText else { return nil }
        return Query(id: queryID, text: queryText, userID: userID, candidates: Query.baselineOrder(candidates),
                     judgments: judgments, line: line, split: split)
    }

    /// Reads `split`: "dev" or "test" (absent or null: the file has no split for this query).
    static func split(_ value: JSONValue?, line: Int, collector: inout IssueCollector) -> DatasetSplit? {
        switch value {
        case .none, .some(.null):
            return nil
        case let .some(.string(s)):
            if let split = DatasetSplit(rawValue: s) { return split }
            collector.add(line: line, field: "split", "\(TerminalText.quoted(s)) is not a split; use \"dev\" or \"test\" (as splitting a dataset writes), or leave the key out")
            return nil
        case let .some(other):
            collector.add(line: line, field: "split", "expected \"dev\" or \"test\", found \(other.typeName)")
            return nil
        }
    }

    /// Reads `judgments`: labels of documents outside the pool. An id that is also a candidate
    /// must carry the same label in both places (then it is kept on the candidate only).
    static func judgments(_ value: JSONValue?, candidates: [Candidate], line: Int, collector: inout IssueCollector) -> [String: Int] {
        guard let value, value != .null else { return [:] }
        guard case let .object(members) = value else {
            collector.add(line: line, field: "judgments", "expected an object of {\"doc-id\": label}, found \(value.typeName)")
            return [:]
        }
        let poolLabels = Dictionary(candidates.map { ($0.id, $0.relevance) }, uniquingKeysWith: { a, _ in a })
        var out: [String: Int] = [:]
        for (id, label) in members {
            let field = "judgments.\(id)"
            guard case let .number(d, literal) = label else {
                collector.add(line: line, field: field, "expected an integer label, found \(label.typeName)")
                continue
            }
            guard d.isFinite, d == d.rounded(), abs(d) <= 1e9 else {
                collector.add(line: line, field: field, "\(literal) is not an integer; labels are graded integers (0 = not relevant, 1, 2, ...; negative = unjudged)")
                continue
            }
            let n = Int(d)
            if let candidateLabel = poolLabels[id] {
                let normalized: Int? = n >= 0 ? n : nil
                if candidateLabel != normalized {
                    collector.add(line: line, field: field, "\(n) conflicts with the label \(candidateLabel.map(String.init) ?? "unjudged") on candidate \"\(id)\"; give a candidate's label in one place only")
                }
                continue
            }
            if n >= 0 { out[id] = n }
        }
        return out
    }

    /// An id as `identifier` reads it, without reporting anything (nil when unusable).
    static func rawIdentifier(_ value: JSONValue?) -> String? {
        switch value {
        case let .some(.string(s)) where !s.isEmpty: return s
        case let .some(.number(d, literal)) where d.isFinite: return literal
        default: return nil
        }
    }

    /// Reads an id field: a string, or a number read as its decimal text.
    static func identifier(_ value: JSONValue?, field: String, line: Int, collector: inout IssueCollector) -> String? {
        switch value {
        case .none, .some(.null):
            collector.add(line: line, field: field, "missing; every \(field == "query_id" ? "query" : "candidate") needs a unique id")
            return nil
        case let .some(.string(s)):
            if s.isEmpty {
                collector.add(line: line, field: field, "empty string; give a non-empty id")
                return nil
            }
            return s
        case let .some(.number(d, literal)):
            guard d.isFinite else {
                collector.add(line: line, field: field, "\(literal) is not a usable id; use a string or an integer")
                return nil
            }
            return literal
        case let .some(other):
            collector.add(line: line, field: field, "expected a string or a number, found \(other.typeName)")
            return nil
        }
    }

    /// mem0 reads `memory`, then `text`, then `content`.
    static let textKeys = ["memory", "text", "content"]

    static func candidate(_ item: JSONValue, index i: Int, line: Int, collector: inout IssueCollector) -> Candidate? {
        let prefix = "candidates[\(i)]"
        guard case .object = item else {
            collector.add(line: line, field: prefix, "expected an object, found \(item.typeName)")
            return nil
        }
        let before = collector.count
        let id = identifier(item["id"], field: "\(prefix).id", line: line, collector: &collector)
        // mem0 reads `memory`, then `text`, then `content`; the first present one wins here too.
        var text: String?
        var textField: String?
        for key in Self.textKeys {
            guard let v = item[key], v != .null else { continue }
            textField = key
            if case let .string(s) = v {
                if s.isBlank {
                    collector.add(line: line, field: "\(prefix).\(key)", "empty; a memory needs its text (drop the candidate if it has none)")
                } else {
                    text = s
                }
            } else {
                collector.add(line: line, field: "\(prefix).\(key)", "expected a string, found \(v.typeName)")
            }
            break
        }
        if textField == nil {
            collector.add(line: line, field: "\(prefix).text", "missing; give the memory text as \"text\" (or \"memory\" / \"content\")")
        }
        var relevance: Int?
        switch item["relevance"] {
        case .none, .some(.null):
            break
        case let .some(.number(d, literal)):
            if !d.isFinite || d != d.rounded() || abs(d) > 1e9 {
                collector.add(line: line, field: "\(prefix).relevance", "\(literal) is not an integer; labels are graded integers (0 = not relevant, 1, 2, ...; negative = unjudged)")
            } else {
                relevance = Int(d)
            }
        case let .some(other):
            collector.add(line: line, field: "\(prefix).relevance", "expected an integer label, found \(other.typeName)")
        }
        var score: Double?
        switch item["score"] {
        case .none, .some(.null):
            break
        case let .some(.number(d, literal)):
            if d.isFinite {
                score = d
            } else {
                collector.add(line: line, field: "\(prefix).score", "\(literal) is not a finite number; give a real first-stage score or leave the key out")
            }
        case let .some(other):
            collector.add(line: line, field: "\(prefix).score", "expected a number, found \(other.typeName)")
        }
        guard collector.count == before, let id, let text else { return nil }
        return Candidate(id: id, text: text, relevance: relevance, firstStageScore: score, fileIndex: i)
    }
}

/// Gathers input problems up to a limit, counting the rest.
struct IssueCollector {
    let file: String
    let limit: Int
    private(set) var issues: [InputIssue] = []
    private(set) var count = 0

    init(file: String, limit: Int) {
        self.file = file
        self.limit = limit
    }

    mutating func add(line: Int, field: String, _ message: String) {
        count += 1
        if issues.count < limit {
            issues.append(InputIssue(file: file, line: line, field: field, message: message))
        }
    }

    /// Takes another collector's problems after this one's (a line's, gathered on its own).
    mutating func merge(_ other: IssueCollector) {
        for issue in other.issues {
            count += 1
            if issues.count < limit { issues.append(issue) }
        }
        count += other.count - other.issues.count
    }

    var error: InputError? {
        count == 0 ? nil : InputError(issues: issues, moreCount: count - issues.count)
    }
}
