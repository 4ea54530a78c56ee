import Foundation

/// JSON coding for stored values. Logprobs can be -infinity, so non-finite numbers are spelled out.
package enum StoreCoding {
    package static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    package static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    /// A stored reply (as `encoder` wrote it) read back. The common shape (text, finish reason,
    /// usage, latency; no logprobs) is read with this package's parser: `JSONDecoder` was most
    /// of a cached re-run's time. Anything else goes to `decoder`, so both read the same values.
    package static func reply(from json: String, using decoder: JSONDecoder = decoder) -> ChatReply? {
        var json = json
        return json.withUTF8 { reply(from: $0, using: decoder) }
    }

    /// The same, from the stored text's UTF-8 bytes (SQLite's own buffer, read without a String).
    package static func reply(from json: UnsafeBufferPointer<UInt8>, using decoder: JSONDecoder = decoder) -> ChatReply? {
        if let reply = plainReply(json) { return reply }
        return try? decoder.decode(ChatReply.self, from: Data(json))
    }

    static func plainReply(_ json: String) -> ChatReply? {
        var json = json
        return json.withUTF8 { plainReply($0) }
    }

    static func plainReply(_ json: UnsafeBufferPointer<UInt8>) -> ChatReply? {
        StoredReplyReader.reply(json) ?? generalPlainReply(json)
    }

    /// `plainReply` by way of a `JSONValue` tree: any key order, spacing and escapes.
    static func generalPlainReply(_ json: UnsafeBufferPointer<UInt8>) -> ChatReply? {
        guard let value = try? JSONParser.parse(json), case let .object(members) = value,
              members.allSatisfy({ plainReplyKeys.contains($0.0) }) else { return nil }
        func optionalString(_ key: String) -> String?? {
            switch value[key] {
            case .none, .some(.null): return .some(nil)
            case let .some(.string(s)): return .some(s)
            default: return nil
            }
        }
        func integer(_ v: JSONValue?) -> Int? {
            guard case let .number(d, literal) = v, literal.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 || $0 == 0x2D }),
                  let i = Int(literal), Double(i) == d else { return nil }
            return i
        }
        guard let text = optionalString("text"), let finish = optionalString("finishReason"),
              value["logprobs"] == nil || value["logprobs"] == .null,
              case let .number(latency, _)? = value["latency"], latency.isFinite,
              case let .object(usageMembers)? = value["usage"], usageMembers.count == 2,
              let prompt = integer(value["usage"]?["promptTokens"]), let completion = integer(value["usage"]?["completionTokens"])
        else { return nil }
        return ChatReply(text: text, finishReason: finish, usage: TokenUsage(promptTokens: prompt, completionTokens: completion),
                         logprobs: nil, latency: latency)
    }

    private static let plainReplyKeys: Set<String> = ["text", "finishReason", "usage", "logprobs", "latency"]

    /// `using` lets a loop share one encoder (making one per value costs more than encoding a reply).
    package static func string<T: Encodable>(_ value: T, using encoder: JSONEncoder = encoder) -> String {
        (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
