/// Removes API keys from any text a user may see or that may be stored.
public struct SecretRedactor: Sendable {
    private let secrets: [String]

    public init(secrets: [String?]) {
        // Very short strings would redact ordinary words; real keys are long.
        self.secrets = secrets.compactMap { $0 }.filter { $0.count >= 8 }.sorted { $0.count > $1.count }
    }

    public func redact(_ text: String) -> String {
        var out = text
        for s in secrets where out.contains(s) {
            out = out.replacingOccurrences(of: s, with: Self.mask(s))
        }
        return out
    }

    /// `sk-...wxyz`: enough to tell keys apart, never enough to use one.
    public static func mask(_ key: String) -> String {
        key.count > 12 ? "\(key.prefix(3))...\(key.suffix(4))" : "***"
    }
}

import Foundation
