import Crypto
import Foundation

/// SHA-256 of many messages that begin alike, each digest exactly that of the whole message.
///
/// A run's request identities share most of their bytes: the provider's name, the URL, the
/// model and the scoring instructions come before the query and the memory, about nine tenths
/// of each. The shared start is hashed once; each message then copies that state (the digest's
/// state is a value) and hashes only what follows it. Hashing every identity whole was a third
/// of a cached re-run's request identities (issue 16).
///
/// Not for sharing between threads: each worker keeps its own.
public struct SharedPrefixHasher {
    /// The start every message so far began with, rounded down to whole 64-byte blocks, and the
    /// state after hashing it. Empty until two messages were seen.
    private var prefix: [UInt8] = []
    private var afterPrefix = SHA256()
    /// The first message, kept until a second one shows how much of it they share.
    private var first: [UInt8]?
    /// Messages that did not begin with `prefix` since it was chosen (a different prompt).
    private var misses = 0

    /// The shortest start worth keeping: below it, copying the state costs what it saves.
    static let minimumPrefix = 128

    public init() {}

    /// Lower-case hex SHA-256 of `bytes`: the same as `Digest.sha256(bytes:)`.
    public mutating func sha256(_ bytes: [UInt8]) -> String {
        let digest = digest(bytes)
        return Digest.hex(digest)
    }

    /// The same after eight hex digits of `prefix`: the same as `Digest.sha256(bytes:prefix:)`.
    public mutating func sha256(_ bytes: [UInt8], prefix keyPrefix: UInt32) -> String {
        let digest = digest(bytes)
        return Digest.hex(digest, prefix: keyPrefix)
    }

    private mutating func digest(_ bytes: [UInt8]) -> SHA256.Digest {
        if !prefix.isEmpty, bytes.count >= prefix.count, Self.startsAlike(bytes, prefix) {
            var hasher = afterPrefix
            let start = prefix.count
            bytes.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[start...])) }
            return hasher.finalize()
        }
        choosePrefix(seeing: bytes)
        return SHA256.hash(data: bytes)
    }

    /// Picks the shared start from the first two messages and shortens it to what a message
    /// that did not begin with it still shares (the first two are often the same query's, which
    /// share its text too); starts over after many that share too little (requests of another
    /// shape).
    private mutating func choosePrefix(seeing bytes: [UInt8]) {
        if !prefix.isEmpty {
            let shared = Self.sharedLength(prefix, bytes) / 64 * 64
            if shared >= Self.minimumPrefix {
                keep(Array(prefix[..<shared]))
                return
            }
            misses += 1
            guard misses >= 64 else { return }
            prefix = []
            first = nil
        }
        guard let first else {
            self.first = bytes
            return
        }
        let shared = Self.sharedLength(first, bytes) / 64 * 64
        self.first = nil
        if shared >= Self.minimumPrefix { keep(Array(bytes[..<shared])) }
    }

    private mutating func keep(_ start: [UInt8]) {
        prefix = start
        afterPrefix = SHA256()
        afterPrefix.update(data: start)
        misses = 0
    }

    private static func startsAlike(_ bytes: [UInt8], _ prefix: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { a in
            prefix.withUnsafeBytes { p in memcmp(a.baseAddress!, p.baseAddress!, p.count) == 0 }
        }
    }

    private static func sharedLength(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var n = 0
        let limit = min(a.count, b.count)
        while n < limit, a[n] == b[n] { n += 1 }
        return n
    }
}
