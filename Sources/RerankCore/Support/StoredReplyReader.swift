import Foundation

/// Reads a stored reply of the one shape `StoreCoding.encoder` writes for a plain reply, straight
/// from its bytes:
///
///     {"finishReason":"stop","latency":0.0167,"text":"0.5","usage":{"completionTokens":3,"promptTokens":20}}
///
/// (keys sorted, no whitespace, strings without escapes, token counts as plain integers). A cached
/// re-run reads one stored reply per pair, and building a `JSONValue` tree for each and looking
/// its keys up was a third of the cache lookup. Anything else, even the same reply spelled
/// differently, gives nil and is read by `StoreCoding.plainReply`'s general path, which gives the
/// same values for what this reads (tested side by side).
struct StoredReplyReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    static func reply(_ bytes: UnsafeBufferPointer<UInt8>) -> ChatReply? {
        var r = StoredReplyReader(bytes)
        guard r.take(#"{"finishReason":"#), let finish = r.string(),
              r.take(#","latency":"#), let latency = r.number(), latency.isFinite,
              r.take(#","text":"#), let text = r.string(),
              r.take(#","usage":{"completionTokens":"#), let completion = r.integer(),
              r.take(#","promptTokens":"#), let prompt = r.integer(),
              r.take("}}"), r.index == bytes.count
        else { return nil }
        return ChatReply(text: text, finishReason: finish, usage: TokenUsage(promptTokens: prompt, completionTokens: completion),
                         logprobs: nil, latency: latency)
    }

    /// Takes `literal` if the bytes go on with it.
    private mutating func take(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        let matches = literal.withUTF8Buffer { expected in
            memcmp(expected.baseAddress!, bytes.baseAddress! + index, count) == 0
        }
        if matches { index += count }
        return matches
    }

    /// A string with no escape and no control character.
    private mutating func string() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        let end = JSONParser.plainStringEnd(in: bytes, from: start)
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
        index = end + 1
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// A number in JSON's grammar, read as `JSONParser` reads it (`DecimalDouble`).
    private mutating func number() -> Double? {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard digits(leadingZeroAlone: true) else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(leadingZeroAlone: false) else { return nil }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits(leadingZeroAlone: false) else { return nil }
        }
        return DecimalDouble.value(of: UnsafeBufferPointer(rebasing: bytes[start..<index]))
    }

    /// A count: 1 to 15 digits, no sign, no leading zero (so it is exact as a Double too).
    private mutating func integer() -> Int? {
        let start = index
        guard digits(leadingZeroAlone: true), index - start <= 15 else { return nil }
        var value = 0
        for b in bytes[start..<index] { value = value * 10 + Int(b - 0x30) }
        return value
    }

    /// One or more digits; with `leadingZeroAlone`, a leading 0 is the whole run (JSON's rule
    /// for an integer part). False, and nothing sure about `index`, when that does not hold.
    private mutating func digits(leadingZeroAlone: Bool) -> Bool {
        let start = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
        guard index > start else { return false }
        return !(leadingZeroAlone && bytes[start] == 0x30 && index - start > 1)
    }
}
