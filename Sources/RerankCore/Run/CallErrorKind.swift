/// Why a call failed, in one word to match on (`ProviderError.kind` decides it). Stored as text
/// in run stores and recordings, with the same words as always ("http 429", "timeout",
/// "configuration"...), so files written before this type read the same; a word this version
/// does not know is kept as `other`.
public enum CallErrorKind: Sendable, Hashable, Codable, RawRepresentable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The server answered with this HTTP status.
    case http(status: Int)
    case timeout
    case connection
    case malformedReply
    case recordedFailure
    /// The settings cannot work: the run stops.
    case configuration
    case cancelled
    /// A word this version does not know, kept as written.
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "timeout": self = .timeout
        case "connection": self = .connection
        case "malformed reply": self = .malformedReply
        case "recorded failure": self = .recordedFailure
        case "configuration": self = .configuration
        case "cancelled": self = .cancelled
        default:
            if rawValue.hasPrefix("http "), let status = Int(rawValue.dropFirst(5)), String(status) == rawValue.dropFirst(5) {
                self = .http(status: status)
            } else {
                self = .other(rawValue)
            }
        }
    }

    public init(stringLiteral value: String) { self.init(rawValue: value) }

    public var rawValue: String {
        switch self {
        case let .http(status): return "http \(status)"
        case .timeout: return "timeout"
        case .connection: return "connection"
        case .malformedReply: return "malformed reply"
        case .recordedFailure: return "recorded failure"
        case .configuration: return "configuration"
        case .cancelled: return "cancelled"
        case let .other(text): return text
        }
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
