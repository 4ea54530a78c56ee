import RerankCore

/// The results of one query's calls that made no request, packed into one value of the
/// `result_pack` table (issue 16: "the lexical baseline and replays record only what their
/// reports need").
///
/// Why: a baseline run of a million pairs wrote a million 17-column rows with their primary-key
/// index, about 5 s of SQLite's CPU, and that writer was the longest thread of the run. Such a
/// call's result is its bare reply (`RunStore.isBare`): a short text, token counts, latency and
/// attempts; nothing refers to it (no cache entry, no reply row) and nothing replaces it (a
/// resume re-asks failed pairs only, and these did not fail). One row per query and batch holds
/// them all and reads back as the same `PairResult`s the rows gave.
///
/// The bytes: a version byte, the number of pairs, then per pair: candidate id (length, UTF-8), sample index, reply text (length, UTF-8),
/// prompt and completion tokens, attempts, each length and count an unsigned LEB128 varint, then
/// the latency's IEEE 754 bits, 8 bytes little-endian. The count makes a value cut short at a
/// pair's end an error too; the version byte lets a later layout be told apart.
struct ResultPack {
    static let version: UInt8 = 1

    /// Whether a completed call can go into a pack instead of a row of its own.
    static func fits(_ call: RunStore.RecordedCall) -> Bool {
        guard call.requestHash == nil, !call.cached, call.result.error == nil, let reply = call.result.reply else { return false }
        return RunStore.isBare(reply)
    }

    /// Packs results that `fits` (their replies are bare).
    static func encode(_ results: [PairResult]) -> [UInt8] {
        var out: [UInt8] = [version]
        out.reserveCapacity(1 + results.count * 32)
        func varint(_ value: Int) {
            var v = UInt64(max(0, value))
            while v >= 0x80 {
                out.append(UInt8(v & 0x7F) | 0x80)
                v >>= 7
            }
            out.append(UInt8(v))
        }
        func text(_ s: String) {
            var s = s
            s.withUTF8 { bytes in
                varint(bytes.count)
                out.append(contentsOf: bytes)
            }
        }
        varint(results.count)
        for r in results {
            text(r.candidateID)
            varint(r.sampleIndex)
            text(r.reply?.text ?? "")
            varint(r.reply?.usage.promptTokens ?? 0)
            varint(r.reply?.usage.completionTokens ?? 0)
            varint(r.attempts)
            var bits = r.latency.bitPattern
            for _ in 0..<8 {
                out.append(UInt8(bits & 0xFF))
                bits >>= 8
            }
        }
        return out
    }

    /// A pack that does not read back whole (a damaged or foreign value).
    struct Damaged: Error, CustomStringConvertible {
        var queryID: String
        var description: String { "the packed results of query \(queryID) are damaged" }
    }

    /// The results packed for `queryID`, as the rows would have given them.
    static func decode(_ bytes: [UInt8], queryID: String) throws(Damaged) -> [PairResult] {
        var i = 0
        func byte() throws(Damaged) -> UInt8 {
            guard i < bytes.count else { throw Damaged(queryID: queryID) }
            defer { i += 1 }
            return bytes[i]
        }
        func varint() throws(Damaged) -> Int {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = try byte()
                guard shift < 63 else { throw Damaged(queryID: queryID) }
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { break }
                shift += 7
            }
            guard value <= UInt64(Int.max) else { throw Damaged(queryID: queryID) }
            return Int(value)
        }
        func text() throws(Damaged) -> String {
            let n = try varint()
            guard n <= bytes.count - i else { throw Damaged(queryID: queryID) }
            defer { i += n }
            return String(decoding: bytes[i..<(i + n)], as: UTF8.self)
        }
        guard try byte() == version else { throw Damaged(queryID: queryID) }
        let count = try varint()
        // Each pair takes at least 14 bytes: a count past that is not a count.
        guard count <= bytes.count / 14 else { throw Damaged(queryID: queryID) }
        var out: [PairResult] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            let candidateID = try text()
            let sampleIndex = try varint()
            let replyText = try text()
            let promptTokens = try varint()
            let completionTokens = try varint()
            let attempts = try varint()
            var bits: UInt64 = 0
            for k in 0..<8 { bits |= UInt64(try byte()) << (8 * UInt64(k)) }
            let latency = Double(bitPattern: bits)
            let reply = ChatReply(text: replyText, finishReason: "stop",
                                  usage: TokenUsage(promptTokens: promptTokens, completionTokens: completionTokens), latency: latency)
            out.append(PairResult(queryID: queryID, candidateID: candidateID, sampleIndex: sampleIndex, reply: reply,
                                  attempts: attempts, latency: latency))
        }
        guard i == bytes.count else { throw Damaged(queryID: queryID) }
        return out
    }
}
