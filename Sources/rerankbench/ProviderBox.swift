import Synchronization
import WorkbenchUI

/// Provider availability computed in the background, picked up by the UI loop.
final class ProviderBox: Sendable {
    private let value = Mutex<[ProviderStatus]?>(nil)

    func put(_ v: [ProviderStatus]) { value.withLock { $0 = v } }

    /// The latest list, once: nil until a new one arrives.
    func take() -> [ProviderStatus]? { value.withLock { v in defer { v = nil }; return v } }
}
