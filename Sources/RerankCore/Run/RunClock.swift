import Foundation

/// Time as the runner sees it; injected so backoff and timeouts are testable without sleeping.
public protocol RunClock: Sendable {
    /// Seconds since an arbitrary fixed point.
    func now() -> Double
    func sleep(seconds: Double) async throws
}

/// The real monotonic clock.
public struct SystemRunClock: RunClock {
    public init() {}

    private static let origin = ContinuousClock.now

    public func now() -> Double {
        // The components once: each read of `components` is a 128-bit division (the runner
        // reads the clock twice per call).
        let (seconds, attoseconds) = Self.origin.duration(to: ContinuousClock.now).components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
}
