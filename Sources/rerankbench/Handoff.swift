import Synchronization

/// Where background work leaves its latest result for the UI loop, which takes it once: the
/// provider check's list, a dataset file read.
final class Handoff<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)

    func put(_ v: Value) { value.withLock { $0 = v } }

    /// The latest value, once: nil until a new one arrives.
    func take() -> Value? { value.withLock { v in defer { v = nil }; return v } }
}
