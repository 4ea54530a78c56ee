import Crypto
import Foundation

/// SHA-256 digests, hex encoded: dataset content hashes, prompt hashes, request hashes.
public enum Digest {
    public static func sha256(_ text: String) -> String {
        hex(SHA256.hash(data: Data(text.utf8)))
    }

    public static func sha256(bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// The digest of `bytes` after eight hex digits of `prefix` (the response cache's keys:
    /// `CacheKey`).
    public static func sha256(bytes: [UInt8], prefix: UInt32) -> String {
        hex(SHA256.hash(data: bytes), prefix: prefix)
    }

    /// Hashes a file by streaming it, or returns nil when it cannot be read.
    public static func sha256(fileAt path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let data = try? handle.read(upToCount: 1 << 20), !data.isEmpty {
            hasher.update(data: data)
        }
        return hex(hasher.finalize())
    }

    /// Lower-case hex, written straight into the string's storage (every pair of a run is
    /// hashed for the response cache, so this is a hot path; iterating a digest as a Sequence
    /// cost more than the hashing).
    static func hex(_ digest: some Crypto.Digest) -> String {
        digest.withUnsafeBytes { raw in
            String(unsafeUninitializedCapacity: raw.count * 2) { out in
                for (i, b) in raw.enumerated() {
                    out[2 * i] = hexDigit(b >> 4)
                    out[2 * i + 1] = hexDigit(b & 0x0F)
                }
                return raw.count * 2
            }
        }
    }

    /// The same after eight hex digits of `prefix`, most significant first, in one string.
    static func hex(_ digest: some Crypto.Digest, prefix: UInt32) -> String {
        digest.withUnsafeBytes { raw in
            String(unsafeUninitializedCapacity: 8 + raw.count * 2) { out in
                for i in 0..<8 { out[i] = hexDigit(UInt8(truncatingIfNeeded: prefix >> (28 - 4 * UInt32(i))) & 0x0F) }
                for (i, b) in raw.enumerated() {
                    out[8 + 2 * i] = hexDigit(b >> 4)
                    out[8 + 2 * i + 1] = hexDigit(b & 0x0F)
                }
                return 8 + raw.count * 2
            }
        }
    }

    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }
}
