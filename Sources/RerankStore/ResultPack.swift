import RerankCore

/// The successful results of one query's calls in a new run, packed into one value of the
/// `result_pack` table (issue 16: a lean store, and a cached re-run of 100,000 pairs a second).
///
/// Why: a run of a million pairs wrote a million 17-column rows with their primary-key index:
/// about 5 s of SQLite's CPU for the offline baseline, and most of a cached re-run's writer.
/// A successful result of a new run is never replaced (a resume re-asks failed pairs only) and
/// nothing looks one up by its key alone, so one row per query and write batch holds them all
/// and reads back as the same `PairResult`s the rows gave. Failures, and whatever a resume
/// records, stay rows.
///
/// A packed result holds its reply one of two ways:
/// - a bare reply (`RunStore.isBare`) of a call that made no request (the offline baseline, a
///   replay): its text and token counts, inline;
/// - any other reply: the id of its one stored copy in `reply` (the cache's, for a cache hit or
///   a new cacheable reply).
///
/// The bytes (version 2): the version byte, the number of pairs, then per pair: candidate id
/// (length, UTF-8), sample index, a flags byte (1: the reply is a reference; 2: the response
/// cache answered the call), attempts, the latency's IEEE 754 bits (8 bytes, little-endian),
/// then either the reply id or the reply's text (length, UTF-8), prompt and completion tokens.
/// Lengths, counts and ids are unsigned LEB128 varints. The count makes a value cut short at a
/// pair's end an error too. Version 1 (bare replies only, written by v7 stores) still reads.
struct ResultPack {
    static let version: UInt8 = 2

    /// One packed result. `replyID` set: `result.reply` is nil until read from `reply`.
    struct Entry: Equatable {
        var result: PairResult
        var replyID: Int64?
        var cached: Bool
    }

    /// Whether a completed call goes into a pack instead of a row of its own: a success of a
    /// new run (`replacing` false). The one rule for the recorder (which parses only rows'
    /// replies) and the store.
    static func fits(_ call: RunStore.RecordedCall, replacing: Bool) -> Bool {
        !replacing && call.result.error == nil && call.result.reply != nil
    }

    static func encode(_ entries: [Entry]) -> [UInt8] {
        var out: [UInt8] = [version]
        out.reserveCapacity(1 + entries.count * 24)
        // Static functions on an inout buffer: nested ones capturing `out` made every append
        // check exclusive access at run time (a tenth of packing a cached re-run's results).
        appendVarint(UInt64(entries.count), to: &out)
        for e in entries {
            let r = e.result
            appendText(r.candidateID, to: &out)
            appendVarint(r.sampleIndex, to: &out)
            out.append((e.replyID != nil ? 1 : 0) | (e.cached ? 2 : 0))
            appendVarint(r.attempts, to: &out)
            var bits = r.latency.bitPattern
            for _ in 0..<8 {
                out.append(UInt8(bits & 0xFF))
                bits >>= 8
            }
            if let id = e.replyID {
                appendVarint(UInt64(bitPattern: id), to: &out)
            } else {
                appendText(r.reply?.text ?? "", to: &out)
                appendVarint(r.reply?.usage.promptTokens ?? 0, to: &out)
                appendVarint(r.reply?.usage.completionTokens ?? 0, to: &out)
            }
        }
        return out
    }

    private static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Negative counts are written as 0.
    private static func appendVarint(_ value: Int, to out: inout [UInt8]) { appendVarint(UInt64(max(0, value)), to: &out) }

    private static func appendText(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { bytes in
            appendVarint(bytes.count, to: &out)
            out.append(contentsOf: bytes)
        }
    }

    /// A pack that does not read back whole (a damaged or foreign value).
    struct Damaged: Error, CustomStringConvertible {
        var queryID: String
        var description: String { "the packed results of query \(queryID) are damaged" }
    }

    /// The results packed for `queryID`, as the rows would have given them (references unread).
    static func decode(_ bytes: [UInt8], queryID: String) throws(Damaged) -> [Entry] {
        var i = 0
        func byte() throws(Damaged) -> UInt8 {
            guard i < bytes.count else { throw Damaged(queryID: queryID) }
            defer { i += 1 }
            return bytes[i]
        }
        func varint() throws(Damaged) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = try byte()
                guard shift < 63 || (shift == 63 && b <= 1) else { throw Damaged(queryID: queryID) }
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { break }
                shift += 7
            }
            return value
        }
        func count() throws(Damaged) -> Int {
            let value = try varint()
            guard value <= UInt64(Int.max) else { throw Damaged(queryID: queryID) }
            return Int(value)
        }
        func text() throws(Damaged) -> String {
            let n = try count()
            guard n <= bytes.count - i else { throw Damaged(queryID: queryID) }
            defer { i += n }
            return String(decoding: bytes[i..<(i + n)], as: UTF8.self)
        }
        func latency() throws(Damaged) -> Double {
            var bits: UInt64 = 0
            for k in 0..<8 { bits |= UInt64(try byte()) << (8 * UInt64(k)) }
            return Double(bitPattern: bits)
        }
        func bare(_ text: String, _ prompt: Int, _ completion: Int, _ latency: Double) -> ChatReply {
            ChatReply(text: text, finishReason: "stop", usage: TokenUsage(promptTokens: prompt, completionTokens: completion), latency: latency)
        }
        let layout = try byte()
        guard layout == 1 || layout == version else { throw Damaged(queryID: queryID) }
        let n = try count()
        // Each pair takes at least 13 bytes (14 in version 1): a count past that is not a count.
        guard n <= bytes.count / 13 else { throw Damaged(queryID: queryID) }
        var out: [Entry] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            let candidateID = try text()
            let sampleIndex = try count()
            var entry: Entry
            if layout == 1 {
                let replyText = try text()
                let prompt = try count(), completion = try count(), attempts = try count()
                let latency = try latency()
                entry = Entry(result: PairResult(queryID: queryID, candidateID: candidateID, sampleIndex: sampleIndex,
                                                 reply: bare(replyText, prompt, completion, latency), attempts: attempts, latency: latency),
                              replyID: nil, cached: false)
            } else {
                let flags = try byte()
                guard flags < 4 else { throw Damaged(queryID: queryID) }
                let attempts = try count()
                let latency = try latency()
                var result = PairResult(queryID: queryID, candidateID: candidateID, sampleIndex: sampleIndex, reply: nil,
                                        attempts: attempts, latency: latency)
                var replyID: Int64?
                if flags & 1 != 0 {
                    replyID = Int64(bitPattern: try varint())
                } else {
                    let replyText = try text()
                    let prompt = try count(), completion = try count()
                    result.reply = bare(replyText, prompt, completion, latency)
                }
                entry = Entry(result: result, replyID: replyID, cached: flags & 2 != 0)
            }
            out.append(entry)
        }
        guard i == bytes.count else { throw Damaged(queryID: queryID) }
        return out
    }
}
