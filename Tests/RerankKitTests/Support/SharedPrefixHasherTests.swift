import Testing
@testable import RerankCore

/// The response cache's keys are hashed with a remembered start (`SharedPrefixHasher`); a key
/// that differed from the plain SHA-256 of the same bytes would miss every reply stored before.
@Suite struct SharedPrefixHasherTests {
    /// Messages as a run makes them: one long shared start, then a query repeated for a
    /// block of memories, then the next query; the digests must equal the whole-message hash.
    @Test func aRunsIdentitiesHashAsTheWholeBytes() {
        var generator = SystemRandomNumberGenerator()
        let instructions = Array(String(repeating: "Rate how relevant the memory is. ", count: 27).utf8)
        var hasher = SharedPrefixHasher()
        for query in 0..<30 {
            let queryText = Array("Query: \(query) \(String(repeating: "q", count: Int.random(in: 0...300, using: &generator)))".utf8)
            for memory in 0..<20 {
                let tail = Array("\nMemory: \(memory) \(String(repeating: "m", count: Int.random(in: 0...90, using: &generator)))".utf8)
                let message = instructions + queryText + tail
                #expect(hasher.sha256(message) == Digest.sha256(bytes: message), "query \(query), memory \(memory)")
            }
        }
    }

    /// Whatever comes: other shapes, messages shorter than the start, the start exactly,
    /// a start that differs in its last byte, empty messages.
    @Test func anyMessagesHashAsTheWholeBytes() {
        var generator = SystemRandomNumberGenerator()
        let starts = (0..<3).map { _ in (0..<Int.random(in: 100...700, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        var hasher = SharedPrefixHasher()
        for i in 0..<3_000 {
            var start = starts[(i / 200) % starts.count]
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: start = Array(start.prefix(Int.random(in: 0...start.count, using: &generator)))
            case 1: if !start.isEmpty { start[start.count - 1] &+= 1 }
            case 2: start = []
            default: break
            }
            let message = start + (0..<Int.random(in: 0...200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(hasher.sha256(message) == Digest.sha256(bytes: message), "message \(i) of \(message.count) bytes")
        }
    }

    /// Messages that share a long start keep digests of their own, each the plain one.
    @Test func messagesThatShareAStartKeepTheirOwnDigests() {
        let start = Array(String(repeating: "s", count: 640).utf8)
        var hasher = SharedPrefixHasher()
        let digests = (0..<100).map { hasher.sha256(start + Array("tail \($0)".utf8)) }
        #expect(Set(digests).count == 100)
        #expect(digests == (0..<100).map { Digest.sha256(bytes: start + Array("tail \($0)".utf8)) })
    }
}
