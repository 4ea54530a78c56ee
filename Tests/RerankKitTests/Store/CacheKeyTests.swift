import Foundation
import RerankKit
@testable import RerankStore
import Testing

/// The response cache's keys (`CacheKey`): a group that puts one query's entries side by side,
/// then the request's digest.
@Suite struct CacheKeyTests {
    /// FNV-1a's published 32-bit values (the test vectors of Fowler, Noll and Vo's reference
    /// code): "" is the offset basis, "a" 0xe40c292c, "foobar" 0xbf9cf968. The group hashes
    /// "PROVIDER\nMODEL\nQUERY", so these are reached through those parts.
    @Test func theGroupIsFNV1aOfProviderModelAndQuery() {
        func fnv(_ text: String) -> UInt32 {
            var h: UInt32 = 2_166_136_261
            for b in text.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
            return h
        }
        #expect(fnv("") == 0x811c_9dc5 && fnv("a") == 0xe40c_292c && fnv("foobar") == 0xbf9c_f968)
        #expect(CacheKey.group(provider: "openai", model: "gpt-4o-mini", query: "where do I live?") == fnv("openai\ngpt-4o-mini\nwhere do I live?"))
        #expect(CacheKey.group(provider: "", model: "", query: "") == fnv("\n\n"))
    }

    @Test func oneQuerysRequestsShareTheirGroupAndDifferInTheirDigest() throws {
        let provider = OpenAIChatProvider(endpoint: ProviderEndpoint(preset: ProviderPreset.named("vllm")!, baseURL: "http://a/v1"))
        func key(_ query: String, _ memory: String, model: String = "m") throws -> String {
            let request = ChatRequest(model: model, messages: [.user("Q: \(query)\nM: \(memory)")], query: query, document: memory)
            return try #require(RecordedRunner.requestHash(provider: provider, request: request))
        }
        let a = try key("q1", "m1"), b = try key("q1", "m2"), c = try key("q2", "m1"), d = try key("q1", "m1", model: "n")
        #expect([a, b, c, d].allSatisfy { $0.utf8.count == 72 && CacheKey.isGrouped($0) && $0.allSatisfy(\.isHexDigit) })
        #expect(a.prefix(8) == b.prefix(8) && a.prefix(8) != c.prefix(8) && a.prefix(8) != d.prefix(8))
        #expect(Set([a, b, c, d].map(CacheKey.digest(of:))).count == 4)
        #expect(CacheKey.digest(of: a) == String(a.dropFirst(8)))
        // A key of before v10 is its own digest.
        let old = String(a.dropFirst(8))
        #expect(!CacheKey.isGrouped(old) && CacheKey.digest(of: old) == old)
    }
}
