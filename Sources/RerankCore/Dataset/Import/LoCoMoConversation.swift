import Foundation

/// One conversation of a LoCoMo file (`snap-research/locomo`, `data/locomo10.json`), read into
/// the parts an import needs: turns, observations, session summaries and the QA entries.
///
/// The file is one JSON array of samples:
/// `{"sample_id", "conversation": {"speaker_a", "speaker_b", "session_N": [turn],
/// "session_N_date_time"}, "qa": [{"question", "answer" | "adversarial_answer", "evidence",
/// "category"}], "observation": {"session_N_observation": {speaker: [[text, dia_id]]}},
/// "session_summary": {"session_N_summary": text}, "event_summary": {...}}`.
/// A turn is `{"speaker", "dia_id": "D1:3", "text"}`, with `img_url`, `blip_caption` and `query`
/// on turns that share a photo.
struct LoCoMoConversation: Sendable {
    struct Turn: Sendable { var diaID: String; var session: Int; var speaker: String; var text: String; var caption: String? }
    struct Observation: Sendable { var id: String; var session: Int; var text: String; var diaIDs: [String] }
    struct Summary: Sendable { var id: String; var session: Int; var text: String }
    struct QA: Sendable {
        /// 1-based position in the sample's `qa` list: a stable query id even when others are skipped.
        var number: Int
        var question: String
        var category: Int?
        /// The `evidence` strings as written (one may hold several ids, see `LoCoMoEvidence`).
        var evidence: [String]
    }

    var sampleID: String
    /// 0-based position in the file's array, for messages.
    var index: Int
    var turns: [Turn]
    /// `session_N_date_time` by session number; a session without one is simply absent.
    var dates: [Int: String]
    var observations: [Observation]
    var summaries: [Summary]
    var qa: [QA]
    /// Session numbers that have turns but no `session_N_date_time`.
    var sessionsWithoutDate: [Int]

    /// Reads every sample of the file; structural problems are collected, named by field path
    /// (`[2].qa[14].evidence`), since the whole file is one JSON document.
    static func read(_ path: String) throws(InputError) -> [LoCoMoConversation] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw InputError(file: path, message: "no such LoCoMo file; check the path (the benchmark's file is data/locomo10.json in snap-research/locomo)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot be read (permission denied)")
        }
        var bytes = Array(data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch {
            let (line, column) = Self.lineAndColumn(bytes, offset: error.column - 1)
            throw InputError(file: path, line: line, message: "invalid JSON at column \(column): \(error.message); the LoCoMo file is one JSON array of conversations")
        }
        guard case let .array(samples) = root else {
            throw InputError(file: path, message: "expected a JSON array of conversations (as in locomo10.json), found \(root.typeName)")
        }
        var collector = IssueCollector(file: path, limit: 20)
        var out: [LoCoMoConversation] = []
        var seen: [String: Int] = [:]
        for (i, sample) in samples.enumerated() {
            guard let c = parse(sample, index: i, collector: &collector) else { continue }
            if let first = seen[c.sampleID] {
                collector.add(line: 0, field: "[\(i)].sample_id", "duplicate sample_id \(TerminalText.quoted(c.sampleID)) (also [\(first)]); query ids are built from it, so it must be unique")
                continue
            }
            seen[c.sampleID] = i
            out.append(c)
        }
        if let e = collector.error { throw e }
        if out.isEmpty { throw InputError(file: path, message: "no conversation in the file") }
        return out
    }

    /// 1-based line and column of a byte offset, for parse errors in a multi-line document.
    static func lineAndColumn(_ bytes: [UInt8], offset: Int) -> (Int, Int) {
        var line = 1, lineStart = 0
        for i in 0..<min(max(offset, 0), bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return (line, offset - lineStart + 1)
    }

    static func parse(_ sample: JSONValue, index i: Int, collector: inout IssueCollector) -> LoCoMoConversation? {
        let at = "[\(i)]"
        guard case .object = sample else {
            collector.add(line: 0, field: at, "expected a conversation object, found \(sample.typeName)")
            return nil
        }
        let before = collector.count
        var sampleID = "conv-\(i)"
        switch sample["sample_id"] {
        case let .some(.string(s)) where !s.isEmpty: sampleID = s
        case let .some(.number(_, literal)): sampleID = literal
        case .none, .some(.null): break  // Older copies have none; the position names the sample.
        case let .some(other):
            collector.add(line: 0, field: "\(at).sample_id", "expected a string, found \(other.typeName)")
        }
        if let bad = TRECFiles.badID(sampleID, field: "\(at).sample_id") {
            collector.add(line: 0, field: bad.field, bad.message + " (query ids are built from it)")
        }
        guard case let .some(.object(members)) = sample["conversation"] else {
            collector.add(line: 0, field: "\(at).conversation", "missing or not an object; each sample needs {\"session_1\": [turns], ...}")
            return nil
        }
        var turns: [Turn] = []
        var dates: [Int: String] = [:]
        var seenTurns = Set<String>()
        // Sessions in numeric order (session_10 after session_9), whatever the key order.
        let sessions = members.compactMap { key, value -> (Int, JSONValue)? in
            guard let n = sessionNumber(key, suffix: "") else { return nil }
            return (n, value)
        }.sorted { $0.0 < $1.0 }
        for (key, value) in members {
            guard let n = sessionNumber(key, suffix: "_date_time") else { continue }
            if case let .string(s) = value, !s.isEmpty { dates[n] = s }
        }
        for (n, value) in sessions {
            let field = "\(at).conversation.session_\(n)"
            guard case let .array(items) = value else {
                collector.add(line: 0, field: field, "expected an array of turns, found \(value.typeName)")
                continue
            }
            for (j, item) in items.enumerated() {
                let f = "\(field)[\(j)]"
                guard let diaID = item["dia_id"]?.stringValue, !diaID.isEmpty else {
                    collector.add(line: 0, field: "\(f).dia_id", "missing or not a string; turns are named like \"D\(n):\(j + 1)\"")
                    continue
                }
                guard let text = item["text"]?.stringValue else {
                    collector.add(line: 0, field: "\(f).text", "missing or not a string")
                    continue
                }
                guard seenTurns.insert(diaID).inserted else {
                    collector.add(line: 0, field: "\(f).dia_id", "duplicate dia_id \(TerminalText.quoted(diaID)); evidence could not say which turn it means")
                    continue
                }
                turns.append(Turn(diaID: diaID, session: n, speaker: item["speaker"]?.stringValue ?? "",
                                  text: text, caption: item["blip_caption"]?.stringValue))
            }
        }
        let sessionsWithoutDate = sessions.map(\.0).filter { dates[$0] == nil }
        let observations = readObservations(sample["observation"], at: at, collector: &collector)
        let summaries = readSummaries(sample["session_summary"], at: at, collector: &collector)
        var qa: [QA] = []
        switch sample["qa"] {
        case let .some(.array(items)):
            for (j, item) in items.enumerated() {
                let f = "\(at).qa[\(j)]"
                guard let question = item["question"]?.stringValue else {
                    collector.add(line: 0, field: "\(f).question", "missing or not a string")
                    continue
                }
                var evidence: [String] = []
                switch item["evidence"] {
                case .none, .some(.null): break
                case let .some(.array(ev)):
                    for (k, e) in ev.enumerated() {
                        guard let s = e.stringValue else {
                            collector.add(line: 0, field: "\(f).evidence[\(k)]", "expected a dialog id string like \"D1:3\", found \(e.typeName)")
                            continue
                        }
                        evidence.append(s)
                    }
                case let .some(.string(s)): evidence = [s]
                case let .some(other):
                    collector.add(line: 0, field: "\(f).evidence", "expected an array of dialog ids like [\"D1:3\"], found \(other.typeName)")
                }
                let category = item["category"]?.doubleValue.flatMap { $0.isFinite && abs($0) < 1e9 ? Int($0) : nil }
                qa.append(QA(number: j + 1, question: question, category: category, evidence: evidence))
            }
        case .none, .some(.null):
            collector.add(line: 0, field: "\(at).qa", "missing; a LoCoMo sample lists its questions under \"qa\"")
        case let .some(other):
            collector.add(line: 0, field: "\(at).qa", "expected an array, found \(other.typeName)")
        }
        guard collector.count == before else { return nil }
        return LoCoMoConversation(sampleID: sampleID, index: i, turns: turns, dates: dates, observations: observations,
                                  summaries: summaries, qa: qa, sessionsWithoutDate: sessionsWithoutDate)
    }

    /// `session_N_observation: {speaker: [[text, "D1:3"]]}`; the id may also be a list or a
    /// comma-separated string (both occur in locomo10.json).
    static func readObservations(_ value: JSONValue?, at: String, collector: inout IssueCollector) -> [Observation] {
        guard case let .some(.object(members)) = value else { return [] }
        var out: [Observation] = []
        let sessions = members.compactMap { key, v in sessionNumber(key, suffix: "_observation").map { ($0, v, key) } }.sorted { $0.0 < $1.0 }
        for (n, v, key) in sessions {
            guard case let .object(bySpeaker) = v else { continue }
            var k = 0
            for (speaker, list) in bySpeaker {
                guard case let .array(items) = list else { continue }
                for (j, item) in items.enumerated() {
                    guard case let .array(pair) = item, pair.count >= 2, let text = pair[0].stringValue else {
                        collector.add(line: 0, field: "\(at).observation.\(key).\(speaker)[\(j)]", "expected [\"observation text\", \"D1:3\"]")
                        continue
                    }
                    var ids: [String] = []
                    switch pair[1] {
                    case let .string(s): ids = [s]
                    case let .array(list): ids = list.compactMap(\.stringValue)
                    default: break
                    }
                    k += 1
                    out.append(Observation(id: "O\(n):\(k)", session: n, text: text, diaIDs: ids))
                }
            }
        }
        return out
    }

    static func readSummaries(_ value: JSONValue?, at: String, collector: inout IssueCollector) -> [Summary] {
        guard case let .some(.object(members)) = value else { return [] }
        return members.compactMap { key, v -> Summary? in
            guard let n = sessionNumber(key, suffix: "_summary"), let text = v.stringValue else { return nil }
            return Summary(id: "S\(n)", session: n, text: text)
        }.sorted { $0.session < $1.session }
    }

    /// N for `session_N` + suffix, nil for any other key.
    static func sessionNumber(_ key: String, suffix: String) -> Int? {
        guard key.hasPrefix("session_"), key.hasSuffix(suffix) else { return nil }
        let middle = key.dropFirst("session_".count).dropLast(suffix.count)
        guard !middle.isEmpty, middle.allSatisfy(\.isASCII), middle.allSatisfy(\.isNumber) else { return nil }
        return Int(middle)
    }
}
