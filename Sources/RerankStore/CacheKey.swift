import RerankCore

/// The response cache's key for one request: eight hex digits naming its group, then the
/// SHA-256 of the request's identity ("NAME\nIDENTITY\nsample=N", `RecordedRunner.requestHash`).
///
/// The group is a 32-bit FNV-1a of the provider's name, the model and the query text, so the
/// entries of one query's memories sort side by side in the cache's B-tree. A run looks its
/// pairs up query by query: keyed by the digest alone, every lookup of a million-pair re-run
/// landed on a random leaf of a 117 MB table, and the readers made 0.9 page reads a pair
/// (issue 16). The group only orders the keys; the digest alone identifies the request.
///
/// Stores written before (migration v10) hold keys of the digest alone (`isGrouped` false).
/// A lookup that misses tries that older key while any may remain, a hit on one copies the
/// entry to its grouped key (`RunStore.record`), and `cache gc` drops the copied old entries.
/// A batch request's `custom_id` is the digest: Anthropic allows 64 characters, and batches
/// submitted before v10 used the digest too.
public enum CacheKey {
    /// Hex digits of the group, before the digest.
    public static let groupLength = 8
    /// Hex digits of the digest.
    public static let digestLength = 64

    /// FNV-1a (32 bits) of "PROVIDER\nMODEL\nQUERY": stable across processes and machines,
    /// unlike Swift's seeded `Hasher`.
    public static func group(provider: String, model: String, query: String) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        add(provider, to: &h)
        add("\n", to: &h)
        add(model, to: &h)
        add("\n", to: &h)
        add(query, to: &h)
        return h
    }

    private static func add(_ text: String, to h: inout UInt32) {
        for byte in text.utf8 {
            h ^= UInt32(byte)
            h = h &* 16_777_619
        }
    }

    /// The request's digest: the whole of an older key, the last 64 digits of a grouped one.
    public static func digest(of key: String) -> String {
        isGrouped(key) ? String(key.dropFirst(groupLength)) : key
    }

    /// Whether `key` begins with a group (written since migration v10).
    public static func isGrouped(_ key: String) -> Bool {
        key.utf8.count == groupLength + digestLength
    }
}
