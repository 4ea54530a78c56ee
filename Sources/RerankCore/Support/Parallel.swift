import Dispatch
import Foundation

/// Work shared out over the cores, results in index order.
public enum Parallel {
    /// `transform(i)` for every i in 0..<count, on every core when there is at least
    /// `minimumPerPart` items for each, in index order. `transform` runs on several threads at
    /// once: it must only read what it shares.
    public static func map<R>(count: Int, minimumPerPart: Int = 1, _ transform: @Sendable (Int) -> R) -> [R] {
        let parts = min(ProcessInfo.processInfo.activeProcessorCount, count / max(1, minimumPerPart))
        guard parts > 1 else { return (0..<count).map(transform) }
        let slots = Slots<R>(count: count)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            for i in (count * part / parts)..<(count * (part + 1) / parts) { slots.set(i, transform(i)) }
        }
        return slots.values
    }
}

/// The results of a `Parallel.map`, each slot written by exactly one of `concurrentPerform`'s
/// workers and read after all of them have returned.
private final class Slots<R>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<R?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    func set(_ i: Int, _ value: R) { slots[i] = value }

    var values: [R] { slots.map { $0! } }
}
