import RerankCore

/// A dataset file being read in the background: the screen says so from the first frame, and
/// every key that needs no dataset (quit, help, the prompt editor, the settings) works meanwhile.
public struct DatasetLoading: Sendable, Equatable {
    public var path: String
    /// The file's size, when the shell could read it.
    public var bytes: Int?
    public var startedAt: Double

    public init(path: String, bytes: Int?, startedAt: Double) {
        self.path = path
        self.bytes = bytes
        self.startedAt = startedAt
    }

    /// "loading big.jsonl (87 MB)".
    public var what: String { "loading \(path)" + (bytes.map { " (\(Self.size($0)))" } ?? "") }

    /// "loading big.jsonl (87 MB): 3 s" as of `now`.
    public func describe(now: Double) -> String { "\(what): \(Int(max(0, now - startedAt))) s" }

    static func size(_ bytes: Int) -> String {
        if bytes >= 1_000_000 { return "\((Double(bytes) / 1_000_000).formatted(decimals: bytes >= 10_000_000 ? 0 : 1)) MB" }
        if bytes >= 1_000 { return "\(bytes / 1_000) kB" }
        return "\(bytes) bytes"
    }
}
