/// Writes new labels into a JSONL dataset file's bytes, changing only the label values: every
/// other byte of every line stays as it was (fields, their order, spacing, judgments outside
/// the pool, split fields, comments and blank lines).
///
/// Memories are found by query id and memory id, so edits made on one version of a file apply
/// to another version where those ids still exist.
public enum DatasetLabelPatch {
    /// The patched bytes, and each edited memory's label in the file before the patch.
    public struct Result: Sendable {
        public var bytes: [UInt8]
        public var before: [LabelKey: Int?]
    }

    public static func apply(_ labels: [LabelKey: Int?], to bytes: [UInt8], file: String) throws(InputError) -> Result {
        var wanted: [String: [String: Int?]] = [:]
        for (key, label) in labels { wanted[key.queryID, default: [:]].updateValue(label, forKey: key.memoryID) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64 * labels.count)
        var before: [LabelKey: Int?] = [:]
        var start = 0
        var first = true
        while start < bytes.count {
            let newline = bytes[start...].firstIndex(of: 0x0A)
            let end = newline ?? bytes.count
            var line = Array(bytes[start..<end])
            // A UTF-8 byte-order mark opening the file is kept, and skipped when reading the JSON.
            var prefix: [UInt8] = []
            if first, line.starts(with: [0xEF, 0xBB, 0xBF]) {
                prefix = [0xEF, 0xBB, 0xBF]
                line.removeFirst(3)
            }
            first = false
            let spans = JSONSpans(bytes: line)
            let open = spans.skipSpace(0)
            if open < line.count, line[open] == UInt8(ascii: "{") {
                let top = spans.members(open)
                if let idRange = top.last(where: { $0.key == "query_id" })?.value, let queryID = spans.identifier(idRange),
                   let memories = wanted[queryID] {
                    line = patchLine(line, spans: spans, top: top, queryID: queryID, memories: memories, before: &before)
                }
            }
            out += prefix + line
            if let newline { out.append(bytes[newline]) }
            start = end + 1
        }
        let missing = labels.keys.filter { !before.keys.contains($0) }.sorted()
        if let m = missing.first {
            throw InputError(file: file, message: "has no memory \(TerminalText.quoted(m.memoryID)) in query \(TerminalText.quoted(m.queryID))\(missing.count > 1 ? " (and \(missing.count - 1) more edited memories)" : ""); the file changed since the labels were edited, so they were not written")
        }
        return Result(bytes: out, before: before)
    }

    /// One query's line with the labels of `memories` set.
    static func patchLine(_ line: [UInt8], spans: JSONSpans, top: [JSONSpans.Member], queryID: String,
                          memories: [String: Int?], before: inout [LabelKey: Int?]) -> [UInt8] {
        // Each edit replaces a byte range; applied from the last to the first so the ranges
        // found stay valid.
        var edits: [(range: Range<Int>, text: String)] = []
        var relabeled: Set<String> = []
        if let candidates = top.last(where: { $0.key == "candidates" })?.value {
            for element in spans.elements(candidates.lowerBound) {
                let members = spans.members(element.lowerBound)
                guard let idRange = members.last(where: { $0.key == "id" })?.value, let id = spans.identifier(idRange),
                      let label = memories[id] else { continue }
                let key = LabelKey(queryID: queryID, memoryID: id)
                let relevance = members.filter { $0.key == "relevance" }
                before.updateValue(relevance.last.flatMap { Self.label(line, $0.value) }, forKey: key)
                relabeled.insert(id)
                edits.append(contentsOf: relevanceEdit(line, members: members, relevance: relevance, label: label))
            }
        }
        // An id in `judgments` that is also a candidate must agree with it; the label lives on
        // the candidate, so the judgments' copy goes.
        if let judgments = top.last(where: { $0.key == "judgments" })?.value {
            let members = spans.members(judgments.lowerBound)
            let kept = members.filter { !relabeled.contains($0.key) }
            if kept.count < members.count {
                let separator = members.count > 1 ? String(decoding: line[members[0].value.upperBound..<members[1].keyStart], as: UTF8.self) : ", "
                let text = "{" + kept.map { String(decoding: line[$0.keyStart..<$0.value.upperBound], as: UTF8.self) }.joined(separator: separator) + "}"
                edits.append((judgments, text))
            }
        }
        var out = line
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            out.replaceSubrange(edit.range, with: Array(edit.text.utf8))
        }
        return out
    }

    /// The edit that gives a candidate object `label`: its `relevance` value replaced, added
    /// after its last member, or removed (unjudged).
    static func relevanceEdit(_ line: [UInt8], members: [JSONSpans.Member], relevance: [JSONSpans.Member], label: Int?) -> [(range: Range<Int>, text: String)] {
        if let label {
            if let last = relevance.last { return [(last.value, String(label))] }
            guard let end = members.last?.value.upperBound else { return [] }
            return [(end..<end, ",\"relevance\":\(label)")]
        }
        guard let last = relevance.last else { return [] }
        // A key given twice (the loader reads the last): null reads as unjudged and keeps the
        // other bytes; otherwise the member goes with its comma.
        if relevance.count > 1 { return [(last.value, "null")] }
        guard let index = members.firstIndex(where: { $0.keyStart == last.keyStart }) else { return [] }
        if index > 0 { return [(members[index - 1].value.upperBound..<last.value.upperBound, "")] }
        if members.count > 1 { return [(last.keyStart..<members[1].keyStart, "")] }
        return [(last.keyStart..<last.value.upperBound, "")]
    }

    /// A relevance value as the loader reads it (negative and null: unjudged).
    static func label(_ line: [UInt8], _ range: Range<Int>) -> Int? {
        guard case let .number(d, _)? = try? JSONParser.parse(Array(line[range])), d.isFinite, d == d.rounded(), d >= 0 else { return nil }
        return Int(d)
    }
}
