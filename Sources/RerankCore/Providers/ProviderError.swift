/// Why a call failed, typed so the runner can decide whether to retry and the front ends can say
/// what to fix. Messages never contain API keys (see `SecretRedactor`).
public enum ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server answered with an HTTP error; `message` is the provider's own text.
    case http(status: Int, message: String, retryAfter: Double?)
    /// No reply within the per-request timeout.
    case timeout(seconds: Double)
    /// The connection failed or was reset.
    case connection(String)
    /// The reply was not in the provider's documented shape (truncated, not JSON, fields
    /// missing). Retried like a server error: a proxy or an overloaded server cuts replies short
    /// now and then, and the same request usually succeeds the next time.
    case malformedReply(String)
    /// A recorded call that had failed, given back by the replay provider; asking again gives
    /// the same answer, so it is not retried.
    case recordedFailure(String)
    /// The settings cannot work (unsupported parameter, unknown model, missing key); not retried.
    case configuration(String)
    /// The run was cancelled before this call finished.
    case cancelled

    public var isRetryable: Bool {
        switch self {
        case let .http(status, _, _): return status == 429 || status == 408 || status >= 500
        case .timeout, .connection, .malformedReply: return true
        case .recordedFailure, .configuration, .cancelled: return false
        }
    }

    /// The kind to match on, for tables and storage (stored as its text: "http 429").
    public var kind: CallErrorKind {
        switch self {
        case let .http(status, _, _): return .http(status: status)
        case .timeout: return .timeout
        case .connection: return .connection
        case .malformedReply: return .malformedReply
        case .recordedFailure: return .recordedFailure
        case .configuration: return .configuration
        case .cancelled: return .cancelled
        }
    }

    public var description: String {
        switch self {
        case let .http(status, message, _): return "HTTP \(status): \(message)"
        case let .timeout(s): return "no reply within \(s.formatted(decimals: 1)) s"
        case let .connection(m): return "connection failed: \(m)"
        case let .malformedReply(m): return "malformed reply: \(m)"
        case let .recordedFailure(m): return "recorded failure: \(m)"
        case let .configuration(m): return m
        case .cancelled: return "cancelled"
        }
    }
}
