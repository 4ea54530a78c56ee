/// Where the parts of one JSON line lie, in bytes: enough to change a label's value and leave
/// every other byte of the line as it was (key order, spacing, number spellings, escapes).
/// It assumes valid JSON (the line was loaded by `DatasetLoader` first).
struct JSONSpans {
    /// A member of an object: where its key starts, and its value's bytes.
    struct Member {
        var key: String
        var keyStart: Int
        var value: Range<Int>
    }

    let bytes: [UInt8]

    func skipSpace(_ i: Int) -> Int {
        var i = i
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        return i
    }

    /// The end (exclusive) of the value starting at `i`.
    func valueEnd(_ i: Int) -> Int {
        guard i < bytes.count else { return i }
        switch bytes[i] {
        case UInt8(ascii: "\""):
            var j = i + 1
            while j < bytes.count, bytes[j] != UInt8(ascii: "\"") { j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1 }
            return min(bytes.count, j + 1)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            // Depth counting that steps over strings (a brace inside a string is text).
            var depth = 0
            var j = i
            while j < bytes.count {
                switch bytes[j] {
                case UInt8(ascii: "\""): j = valueEnd(j); continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return j + 1 }
                default: break
                }
                j += 1
            }
            return j
        default:
            var j = i
            while j < bytes.count, !",}] \t\r\n".utf8.contains(bytes[j]) { j += 1 }
            return j
        }
    }

    /// The members of the object whose `{` is at `i`, in file order.
    func members(_ i: Int) -> [Member] {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return [] }
        var out: [Member] = []
        var j = skipSpace(i + 1)
        while j < bytes.count, bytes[j] == UInt8(ascii: "\"") {
            let keyEnd = valueEnd(j)
            let key = (try? JSONParser.parse(Array(bytes[j..<keyEnd])))?.stringValue ?? ""
            let colon = skipSpace(keyEnd)
            let start = skipSpace(colon + 1)
            let end = valueEnd(start)
            out.append(Member(key: key, keyStart: j, value: start..<end))
            j = skipSpace(end)
            guard j < bytes.count, bytes[j] == UInt8(ascii: ",") else { break }
            j = skipSpace(j + 1)
        }
        return out
    }

    /// The elements of the array whose `[` is at `i`, in file order.
    func elements(_ i: Int) -> [Range<Int>] {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { return [] }
        var out: [Range<Int>] = []
        var j = skipSpace(i + 1)
        while j < bytes.count, bytes[j] != UInt8(ascii: "]") {
            let end = valueEnd(j)
            out.append(j..<end)
            j = skipSpace(end)
            guard j < bytes.count, bytes[j] == UInt8(ascii: ",") else { break }
            j = skipSpace(j + 1)
        }
        return out
    }

    /// An id as the loader reads it: a string, or a number's own text.
    func identifier(_ range: Range<Int>) -> String? {
        guard let value = try? JSONParser.parse(Array(bytes[range])) else { return nil }
        switch value {
        case let .string(s): return s
        case let .number(_, literal): return literal
        default: return nil
        }
    }
}
