import Foundation
import Testing
@testable import RerankCore

/// The byte reader for stored replies against the general reader it stands in front of.
@Suite struct StoredReplyReaderTests {
    private func read(_ json: String, _ body: (UnsafeBufferPointer<UInt8>) -> ChatReply?) -> ChatReply? {
        var json = json
        return json.withUTF8(body)
    }

    private func fast(_ json: String) -> ChatReply? { read(json, StoredReplyReader.reply) }
    private func general(_ json: String) -> ChatReply? { read(json, StoreCoding.generalPlainReply) }

    @Test func readsWhatTheEncoderWritesAsTheGeneralReaderDoes() {
        var generator = SystemRandomNumberGenerator()
        let encoder = StoreCoding.encoder
        let texts = ["0.5", "", "Score: 0.87", "ünïcode ✓ 𝄞", "a\"quote", "back\\slash", "tab\there", "line\nbreak", "\u{1}"]
        let latencies = [0, 0.016492727000000002, 1e-7, 123456.789, Double.leastNonzeroMagnitude, 1.7976931348623157e308, 2.5e-12]
        var fastRead = 0
        for i in 0..<4_000 {
            let text = i % 10 == 0 ? nil : texts[i % texts.count] + (i % 3 == 0 ? "" : String(Int.random(in: 0...999, using: &generator)))
            let latency = i < latencies.count ? latencies[i] : Double.random(in: 0...30, using: &generator)
            let reply = ChatReply(text: text, finishReason: i % 7 == 0 ? "length" : "stop",
                                  usage: TokenUsage(promptTokens: Int.random(in: 0...200_000, using: &generator),
                                                    completionTokens: i % 5 == 0 ? 0 : Int.random(in: 0...4_096, using: &generator)),
                                  logprobs: nil, latency: latency)
            let json = StoreCoding.string(reply, using: encoder)
            let plain = text != nil && !json.contains("\\")
            if let f = fast(json) {
                fastRead += 1
                #expect(f == general(json), "\(json)")
                #expect(f == reply, "\(json)")
            } else {
                #expect(!plain, "a plain reply the byte reader did not take: \(json)")
            }
        }
        #expect(fastRead > 1_200)  // about 4 in 9 texts have no escape; a tenth are null
    }

    @Test func anythingElseIsLeftToTheGeneralReader() {
        let base = #"{"finishReason":"stop","latency":0.0167,"text":"0.5","usage":{"completionTokens":3,"promptTokens":20}}"#
        #expect(fast(base) == general(base) && fast(base) != nil)
        // Every cut and every inserted space or byte: the byte reader reads the same or declines.
        let bytes = Array(base.utf8)
        var variants: [String] = []
        for i in 0...bytes.count {
            variants.append(String(decoding: bytes[..<i], as: UTF8.self))
            for insert in [" ", "0", "-", "\"", "\\", "}", ".", "e"] {
                variants.append(String(decoding: bytes[..<i] + Array(insert.utf8) + bytes[i...], as: UTF8.self))
            }
        }
        variants += [
            #"{"finishReason":"stop","latency":01,"text":"0.5","usage":{"completionTokens":3,"promptTokens":20}}"#,
            #"{"finishReason":"stop","latency":1e999,"text":"0.5","usage":{"completionTokens":3,"promptTokens":20}}"#,
            #"{"finishReason":"stop","latency":-0.5e-3,"text":"0.5","usage":{"completionTokens":3,"promptTokens":20}}"#,
            #"{"finishReason":"stop","latency":1,"text":"0.5","usage":{"completionTokens":1234567890123456,"promptTokens":20}}"#,
            #"{"finishReason":"stop","latency":1,"text":"0.5","usage":{"completionTokens":-3,"promptTokens":20}}"#,
            #"{"finishReason":"stop","latency":1,"text":"0.5","usage":{"completionTokens":3.0,"promptTokens":20}}"#,
            #"{"finishReason":"stop","latency":1,"text":null,"usage":{"completionTokens":3,"promptTokens":20}}"#,
            #"{"finishReason":"stop","latency":1,"logprobs":null,"text":"0.5","usage":{"completionTokens":3,"promptTokens":20}}"#,
            #"{"latency":1,"finishReason":"stop","text":"0.5","usage":{"completionTokens":3,"promptTokens":20}}"#,
        ]
        var declined = 0
        for json in variants {
            if let f = fast(json) {
                #expect(f == general(json), "\(json)")
            } else {
                declined += 1
            }
        }
        #expect(declined > variants.count / 2)
        #expect(fast(#"{"finishReason":"stop","latency":-0.5e-3,"text":"0.5","usage":{"completionTokens":3,"promptTokens":20}}"#)?.latency == -0.0005)
    }
}
