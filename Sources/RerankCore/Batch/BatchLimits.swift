/// How much one provider batch may hold: requests and bytes. Parameters rather than constants
/// so tests (and users with lower account limits) can chunk smaller.
public struct BatchLimits: Sendable, Hashable {
    public var maxRequests: Int
    public var maxBytes: Int

    public init(maxRequests: Int, maxBytes: Int) {
        self.maxRequests = max(1, maxRequests)
        self.maxBytes = max(1, maxBytes)
    }

    /// OpenAI: an input file "can contain up to 50,000 requests, and can be up to 200 MB in size"
    /// (API reference, Create batch, `input_file_id`).
    public static let openAI = BatchLimits(maxRequests: 50_000, maxBytes: 200_000_000)
    /// Azure OpenAI documents the same limits for Create batch ("up to 50,000 requests, and can
    /// be up to 200 MB", learn.microsoft.com, Azure OpenAI REST reference "batches create batch").
    public static let azureOpenAI = BatchLimits(maxRequests: 50_000, maxBytes: 200_000_000)
    /// Anthropic: "A Message Batch is limited to either 100,000 Message requests or 256 MB in
    /// size, whichever is reached first" (docs.anthropic.com, Message Batches, batch limitations);
    /// `requests` has maxItems 100000 in the API reference.
    public static let anthropic = BatchLimits(maxRequests: 100_000, maxBytes: 256_000_000)
}

/// Splits requests into batches within limits, in order.
public enum BatchChunker {
    /// Index ranges of `sizes` (the bytes each request adds to a batch) such that no range holds
    /// more than `limits.maxRequests` requests or `limits.maxBytes - overhead` bytes.
    /// Throws the index of a request too large for any batch.
    public static func chunks(sizes: [Int], limits: BatchLimits, overhead: Int = 0) throws(BatchTooLarge) -> [Range<Int>] {
        let room = limits.maxBytes - overhead
        var ranges: [Range<Int>] = []
        var start = 0, bytes = 0
        for (i, size) in sizes.enumerated() {
            if size > room { throw BatchTooLarge(index: i, bytes: size, limit: room) }
            if i > start, i - start >= limits.maxRequests || bytes + size > room {
                ranges.append(start..<i)
                start = i
                bytes = 0
            }
            bytes += size
        }
        if start < sizes.count { ranges.append(start..<sizes.count) }
        return ranges
    }
}

/// One request larger than a whole batch may be.
public struct BatchTooLarge: Error, Sendable, Hashable {
    public var index: Int
    public var bytes: Int
    public var limit: Int

    public init(index: Int, bytes: Int, limit: Int) {
        self.index = index
        self.bytes = bytes
        self.limit = limit
    }
}
