import Foundation
import Testing
@testable import RerankCore

/// Stored replies are read by this package's parser when they have the plain shape; what it reads
/// must equal what `JSONDecoder` reads, and anything else must go to `JSONDecoder`.
@Suite struct StoredReplyTests {
    @Test func thePlainReaderReadsWhatTheDecoderReads() throws {
        var g = SystemRandomNumberGenerator()
        let texts: [String?] = [nil, "", "0.7", "Score: 0.85 because \"quoted\" \\ and\nnewline", "café ☕️ \u{202E}", "\u{1B}[2J"]
        let reasons: [String?] = [nil, "stop", "length", "max_tokens", "content_filter"]
        let latencies: [Double] = [0, 0.001, 1e-7, 12.5, 1.0 / 3, 123456.789]
        for _ in 0..<500 {
            let reply = ChatReply(text: texts.randomElement(using: &g)!, finishReason: reasons.randomElement(using: &g)!,
                                  usage: TokenUsage(promptTokens: Int.random(in: 0...1_000_000, using: &g), completionTokens: Int.random(in: 0...4096, using: &g)),
                                  logprobs: nil, latency: latencies.randomElement(using: &g)!)
            let json = StoreCoding.string(reply)
            let plain = try #require(StoreCoding.plainReply(json), "\(json)")
            #expect(plain == (try StoreCoding.decoder.decode(ChatReply.self, from: Data(json.utf8))))
            #expect(plain == reply)
        }
    }

    @Test func otherShapesGoToTheDecoder() throws {
        let withLogprobs = ChatReply(text: "0.9", usage: TokenUsage(promptTokens: 3, completionTokens: 1),
                                     logprobs: [TokenLogprob(token: "0", logprob: -.infinity, top: [])], latency: 0.2)
        let json = StoreCoding.string(withLogprobs)
        #expect(StoreCoding.plainReply(json) == nil)
        #expect(StoreCoding.reply(from: json) == withLogprobs)
        let nonFinite = StoreCoding.string(ChatReply(text: "1", latency: .nan))
        #expect(StoreCoding.plainReply(nonFinite) == nil)
        #expect(StoreCoding.reply(from: nonFinite)?.latency.isNaN == true)
        #expect(StoreCoding.reply(from: "{\"text\":\"1\"}") == nil)
        #expect(StoreCoding.reply(from: "not json") == nil)
    }
}
