import Foundation
import RerankCore
import Synchronization
import Testing

/// `Parallel.map` cuts its items into a few parts per core: every item is transformed once and
/// the results come back in index order, whatever the count and the smallest part.
@Suite struct ParallelTests {
    @Test(arguments: [(0, 1), (1, 1), (2, 1), (7, 1), (100, 16), (1_000, 4), (10_007, 64), (10_007, 1)])
    func everyItemOnceInOrder(count: Int, minimumPerPart: Int) {
        let calls = Mutex([Int](repeating: 0, count: count))
        let out = Parallel.map(count: count, minimumPerPart: minimumPerPart) { i -> Int in
            calls.withLock { $0[i] += 1 }
            return i * 3
        }
        #expect(out == (0..<count).map { $0 * 3 })
        #expect(calls.withLock { $0.allSatisfy { $0 == 1 } })
    }

    @Test func aSlowItemDoesNotChangeTheOrder() {
        // The first part is slow: the others finish first and their results still go in place.
        let out = Parallel.map(count: 64, minimumPerPart: 1) { i -> String in
            if i < 4 { Thread.sleep(forTimeInterval: 0.01) }
            return "item \(i)"
        }
        #expect(out == (0..<64).map { "item \($0)" })
    }
}
