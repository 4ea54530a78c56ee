import Dispatch
import Foundation

/// Work shared out over the cores, results in index order.
public enum Parallel {
    /// `transform(i)` for every i in 0..<count, on every core when there is at least
    /// `minimumPerPart` items for each, in index order. `transform` runs on several threads at
    /// once: it must only read what it shares.
    ///
    /// The items go in a few parts per core, which `concurrentPerform` hands to whichever core
    /// is free: with one part per core, a core slowed by another process (these machines are
    /// shared) left the other idle at the end of every step.
    public static func map<R>(count: Int, minimumPerPart: Int = 1, _ transform: @Sendable (Int) -> R) -> [R] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard cores > 1, count / max(1, minimumPerPart) > 1 else { return (0..<count).map(transform) }
        let parts = min(cores * partsPerCore, count / max(1, minimumPerPart))
        let slots = Slots<R>(count: count)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            for i in (count * part / parts)..<(count * (part + 1) / parts) { slots.set(i, transform(i)) }
        }
        return slots.takeValues()
    }

    /// How many parts each core's share is cut into (see `map`).
    public static let partsPerCore = 4
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

    /// The results, moved out (each slot is left empty, so this is asked once): copying them
    /// retained every result once more, only for the slots to release it.
    func takeValues() -> [R] {
        [R](unsafeUninitializedCapacity: slots.count) { buffer, initialized in
            for i in slots.indices { (buffer.baseAddress! + i).initialize(to: slots[i].take()!) }
            initialized = slots.count
        }
    }
}
