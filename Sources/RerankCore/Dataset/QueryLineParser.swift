/// Reads a well-formed dataset line straight from its bytes into a `Query`, or gives up (nil)
/// and leaves the line to `DatasetLoader`'s general reading, which parses it into `JSONValue`s
/// and names each problem.
///
/// Parsing every line into a tree of `JSONValue`s (a String per key, an array of members per
/// candidate, a String and a `strtod` per number) was nearly all of the time before a large
/// file's first screen. Here the candidates, which are most of a line, are read in one pass:
/// keys compared as bytes, numbers read without a String (`DecimalDouble`), text without escapes
/// decoded in place. The per-line fields (query_id, user_id, judgments, split) and anything
/// unusual (escapes, unknown keys) are read by `JSONParser` from the same bytes, and checked by
/// the loader's own functions.
///
/// It only ever accepts: any syntax error, unexpected type, invalid value, repeated key or
/// repeated candidate id makes it give up, so the general reading alone decides every message,
/// and a line it accepts gives the same `Query` the general reading gives.
struct QueryLineParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private let line: Int

    private init(bytes: UnsafeBufferPointer<UInt8>, line: Int) {
        self.bytes = bytes
        self.line = line
    }

    /// The query on `bytes` (one line's JSON, surrounding space removed), or nil when the line
    /// has anything the general reading must judge.
    static func query(from bytes: UnsafeBufferPointer<UInt8>, line: Int) -> Query? {
        var parser = QueryLineParser(bytes: bytes, line: line)
        return parser.query()
    }

    // MARK: The line's object

    /// The keys of a query object this reader takes, as bits (a repeated one: give up).
    private enum QueryKey: UInt8 {
        case queryID = 1, query = 2, userID = 4, candidates = 8, judgments = 16, split = 32
    }

    private mutating func query() -> Query? {
        guard next(is: UInt8(ascii: "{")) else { return nil }
        var seen: UInt8 = 0
        var queryIDValue: JSONValue?
        var queryText: String?
        var userIDValue: JSONValue?
        var candidates: [Candidate]?
        var judgmentsValue: JSONValue?
        var splitValue: JSONValue?
        skipSpace()
        // An empty object lacks every field: the general reading says so.
        guard peek() == UInt8(ascii: "\"") else { return nil }
        while true {
            skipSpace()
            guard let key = memberKey() else { return nil }
            let known = Self.queryKey(key)
            if let known {
                guard seen & known.rawValue == 0 else { return nil }
                seen |= known.rawValue
            }
            switch known {
            case .queryID?: guard let v = anyValue(depth: 1) else { return nil }; queryIDValue = v
            case .query?: guard let s = string(depth: 1) else { return nil }; queryText = s
            case .userID?: guard let v = anyValue(depth: 1) else { return nil }; userIDValue = v
            case .candidates?: guard let c = candidateArray() else { return nil }; candidates = c
            case .judgments?: guard let v = anyValue(depth: 1) else { return nil }; judgmentsValue = v
            case .split?: guard let v = anyValue(depth: 1) else { return nil }; splitValue = v
            case nil: guard anyValue(depth: 1) != nil else { return nil }
            }
            skipSpace()
            if next(is: UInt8(ascii: ",")) { continue }
            if next(is: UInt8(ascii: "}")) { break }
            return nil
        }
        skipSpace()
        guard index == bytes.count else { return nil }

        // The per-line fields, by the loader's own checks; any problem: the general reading.
        guard let queryText, !queryText.isBlank, let candidates, !candidates.isEmpty else { return nil }
        var problems = IssueCollector(file: "", limit: 0)
        let queryID = DatasetLoader.identifier(queryIDValue, field: "query_id", line: line, collector: &problems)
        let userID: String? = switch userIDValue {
        case let .some(.string(s)): s
        case let .some(.number(_, literal)): literal
        default: nil
        }
        let judgments = DatasetLoader.judgments(judgmentsValue, candidates: candidates, line: line, collector: &problems)
        let split = DatasetLoader.split(splitValue, line: line, collector: &problems)
        guard problems.count == 0, let queryID else { return nil }
        return Query(id: queryID, text: queryText, userID: userID, candidates: Query.baselineOrder(candidates),
                     judgments: judgments, line: line, split: split)
    }

    private static func queryKey(_ key: UnsafeBufferPointer<UInt8>) -> QueryKey? {
        switch key.count {
        case 5:
            if equals(key, "query") { return .query }
            if equals(key, "split") { return .split }
        case 7: if equals(key, "user_id") { return .userID }
        case 8: if equals(key, "query_id") { return .queryID }
        case 9: if equals(key, "judgments") { return .judgments }
        case 10: if equals(key, "candidates") { return .candidates }
        default: break
        }
        return nil
    }

    // MARK: Candidates

    /// The `candidates` array, every one valid and every id unique; nil otherwise.
    private mutating func candidateArray() -> [Candidate]? {
        guard next(is: UInt8(ascii: "[")) else { return nil }
        skipSpace()
        // Empty: the general reading says a query needs one.
        guard peek() == UInt8(ascii: "{") else { return nil }
        var candidates: [Candidate] = []
        while true {
            skipSpace()
            guard let candidate = candidate(fileIndex: candidates.count) else { return nil }
            candidates.append(candidate)
            skipSpace()
            if next(is: UInt8(ascii: ",")) { continue }
            if next(is: UInt8(ascii: "]")) { break }
            return nil
        }
        // Ids unique, checked once their number is known: a set grown one id at a time hashed
        // every id again at each doubling.
        var ids = Set<String>(minimumCapacity: candidates.count)
        for candidate in candidates {
            guard ids.insert(candidate.id).inserted else { return nil }
        }
        return candidates
    }

    /// The keys of a candidate object this reader takes, as bits.
    private enum CandidateKey: UInt8 {
        case id = 1, memory = 2, text = 4, content = 8, relevance = 16, score = 32
    }

    /// What one of the three text keys held.
    private enum TextValue {
        case absent, null, string(String), other

        /// Present and not null: the key mem0 would read, if it comes first.
        var isPresent: Bool {
            switch self {
            case .absent, .null: false
            case .string, .other: true
            }
        }
    }

    /// One candidate object (members at depth 3: the line, `candidates`, the object).
    private mutating func candidate(fileIndex: Int) -> Candidate? {
        guard next(is: UInt8(ascii: "{")) else { return nil }
        skipSpace()
        guard peek() == UInt8(ascii: "\"") else { return nil }
        var seen: UInt8 = 0
        var id: String?
        var memory = TextValue.absent, text = TextValue.absent, content = TextValue.absent
        var relevance: Int?
        var score: Double?
        while true {
            skipSpace()
            guard let key = memberKey() else { return nil }
            let known = Self.candidateKey(key)
            if let known {
                guard seen & known.rawValue == 0 else { return nil }
                seen |= known.rawValue
            }
            switch known {
            case .id?:
                guard let value = identifier() else { return nil }
                id = value
            case .memory?: guard let v = textValue() else { return nil }; memory = v
            case .text?: guard let v = textValue() else { return nil }; text = v
            case .content?: guard let v = textValue() else { return nil }; content = v
            case .relevance?:
                if nextNull() { break }
                // The general reading's test, word for word: a finite integer within 10^9.
                guard let d = number()?.value, d.isFinite, d == d.rounded(), abs(d) <= 1e9 else { return nil }
                relevance = Int(d)
            case .score?:
                if nextNull() { break }
                guard let d = number()?.value, d.isFinite else { return nil }
                score = d
            case nil:
                guard anyValue(depth: 3) != nil else { return nil }
            }
            skipSpace()
            if next(is: UInt8(ascii: ",")) { continue }
            if next(is: UInt8(ascii: "}")) { break }
            return nil
        }
        // mem0's order: `memory`, then `text`, then `content`; the first present and not null
        // is the text, and it must be a string with something in it.
        let chosen = memory.isPresent ? memory : text.isPresent ? text : content
        guard let id, case let .string(chosenText) = chosen, !chosenText.isBlank else { return nil }
        return Candidate(id: id, text: chosenText, relevance: relevance, firstStageScore: score, fileIndex: fileIndex)
    }

    private static func candidateKey(_ key: UnsafeBufferPointer<UInt8>) -> CandidateKey? {
        switch key.count {
        case 2: if equals(key, "id") { return .id }
        case 4: if equals(key, "text") { return .text }
        case 5: if equals(key, "score") { return .score }
        case 6: if equals(key, "memory") { return .memory }
        case 7: if equals(key, "content") { return .content }
        case 9: if equals(key, "relevance") { return .relevance }
        default: break
        }
        return nil
    }

    /// A candidate id as the general reading takes it: a non-empty string, or a finite number
    /// read as its text.
    private mutating func identifier() -> String? {
        guard let first = peek() else { return nil }
        switch first {
        case UInt8(ascii: "\""):
            guard let s = string(depth: 3), !s.isEmpty else { return nil }
            return s
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard let read = number(), read.value.isFinite else { return nil }
            return String(decoding: read.text, as: UTF8.self)
        default:
            return nil
        }
    }

    /// A text key's value: a string, null, or (read and kept aside: it matters only if this key
    /// is the one mem0 would read) anything else.
    private mutating func textValue() -> TextValue? {
        guard let first = peek() else { return nil }
        switch first {
        case UInt8(ascii: "\""): return string(depth: 3).map { .string($0) }
        case UInt8(ascii: "n"): return nextNull() ? .null : nil
        default: return anyValue(depth: 3).map { _ in .other }
        }
    }

    // MARK: Values

    /// A member's key and its ':' (the key as bytes, in place); nil for a key with an escape or
    /// a byte outside ASCII (left to the general reading, which decodes and compares it as a
    /// String), or bad syntax.
    private mutating func memberKey() -> UnsafeBufferPointer<UInt8>? {
        guard next(is: UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let key = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                skipSpace()
                guard next(is: UInt8(ascii: ":")) else { return nil }
                skipSpace()
                return key
            }
            if b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { return nil }
            index += 1
        }
        return nil
    }

    /// A string value: decoded in place when it has no escape, else by `JSONParser`.
    private mutating func string(depth: Int) -> String? {
        guard peek() == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        let end = JSONParser.plainStringEnd(in: bytes, from: start)
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            index = end + 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        guard case let .string(s)? = anyValue(depth: depth) else { return nil }
        return s
    }

    /// A number in JSON's grammar (not NaN or Infinity: where this reader takes numbers, those
    /// are errors), its value as `JSONParser` reads it and its text.
    private mutating func number() -> (value: Double, text: UnsafeBufferPointer<UInt8>)? {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), Self.isDigit(first) else { return nil }
        index += 1
        if first == UInt8(ascii: "0") {
            if let b = peek(), Self.isDigit(b) { return nil }
        } else {
            skipDigits()
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let b = peek(), Self.isDigit(b) else { return nil }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let b = peek(), Self.isDigit(b) else { return nil }
            skipDigits()
        }
        let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
        return (DecimalDouble.value(of: text), text)
    }

    /// Any value, by `JSONParser` (so its rules and nesting limit hold); nil on bad syntax.
    private mutating func anyValue(depth: Int) -> JSONValue? {
        try? JSONParser.parseValue(in: bytes, at: &index, depth: depth)
    }

    /// Takes `null` if it is next.
    private mutating func nextNull() -> Bool {
        guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
              bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l") else { return false }
        index += 4
        return true
    }

    // MARK: Bytes

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    /// Takes `byte` if it is next.
    private mutating func next(is byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func skipDigits() {
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
    }

    private static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Whether the key's bytes are `word`'s (a byte loop: `elementsEqual` was a twentieth of a load).
    private static func equals(_ key: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard key.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for i in 0..<key.count where key[i] != w[i] { return false }
        return true
    }
}
