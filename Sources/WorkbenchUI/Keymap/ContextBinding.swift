/// A row of the keymap for a modal or the filter line: the keys, what they do there, and how
/// the key bar shows them.
public struct ContextBinding: Sendable {
    /// Which keys a row answers to.
    public enum Keys: Sendable, Equatable {
        case keys([Key])
        /// Any printable character: what the user types into a field.
        case anyCharacter
        /// Every key no earlier row of the context took; only as a context's last row.
        case anyOtherKey

        public func matches(_ key: Key) -> Bool {
            switch self {
            case let .keys(list): return list.contains(key)
            case .anyCharacter: if case .char = key { return true } else { return false }
            case .anyOtherKey: return true
            }
        }

        /// How the key bar names them when the row does not say otherwise.
        public var label: String {
            switch self {
            case let .keys(list): return list.first?.label ?? ""
            case .anyCharacter: return "type"
            case .anyOtherKey: return "any other key"
            }
        }
    }

    public var keys: Keys
    public var command: ContextCommand
    /// What the keys do, in the key bar's words. Rows hidden from the bar share the word of the
    /// row that stands for them (↑ is shown by the "↑↓ scroll" of ↓'s row).
    public var word: String
    public var inBar: Bool
    /// The keys as the bar spells them when one entry stands for several rows ("↑↓").
    public var barKeys: String?

    public init(_ keys: Keys, _ command: ContextCommand, _ word: String, inBar: Bool = true, barKeys: String? = nil) {
        self.keys = keys
        self.command = command
        self.word = word
        self.inBar = inBar
        self.barKeys = barKeys
    }
}
