import Synchronization
import Testing
import RerankKit
@testable import RerankCore

/// A value tasks can share (a Mutex itself cannot be captured by an escaping closure).
private final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout sending Value) -> sending R) -> R { value.withLock(body) }
}

@Suite struct CallGateTests {
    /// Polls (without blocking the pool) until `count` calls wait on the gate.
    func waitUntilWaiting(_ gate: CallGate, _ count: Int) async throws {
        for _ in 0..<6000 where gate.waitingCount < count { try await Task.sleep(for: .milliseconds(10)) }
        try #require(gate.waitingCount == count)
    }

    @Test func aRateLimitedReplyHalvesTheLimitAndSuccessesGrowItBack() async throws {
        let gate = CallGate(concurrency: 8, requestsPerMinute: nil, tokensPerMinute: nil)
        for _ in 0..<8 { await gate.acquireSlot() }
        let acquired = Shared(false)
        let waiter = Task {
            await gate.acquireSlot()
            acquired.withLock { $0 = true }
        }
        try await waitUntilWaiting(gate, 1)
        #expect(!acquired.withLock { $0 }, "a ninth call must wait while 8 are in flight")

        gate.releaseSlot(rateLimited: true, succeeded: false)
        #expect(gate.currentLimit == 4)
        // 7 in flight over a limit of 4: the waiter waits until fewer than 4 are in flight.
        for _ in 0..<3 { gate.releaseSlot(rateLimited: false, succeeded: false) }
        try await Task.sleep(for: .milliseconds(50))
        #expect(!acquired.withLock { $0 }, "4 in flight at a limit of 4")
        gate.releaseSlot(rateLimited: false, succeeded: false)
        await waiter.value
        #expect(acquired.withLock { $0 })

        // Each success adds 1/limit: about one more slot per round of successes, up to the maximum.
        for _ in 0..<4 { gate.releaseSlot(rateLimited: false, succeeded: true) }
        #expect(gate.currentLimit == 4)  // 4.92
        await gate.acquireSlot()
        gate.releaseSlot(rateLimited: false, succeeded: true)
        #expect(gate.currentLimit == 5)
        for _ in 0..<40 {
            await gate.acquireSlot()
            gate.releaseSlot(rateLimited: false, succeeded: true)
        }
        #expect(gate.currentLimit == 8)
    }

    @Test func releasingWakesWaitersInOrderUpToTheLimit() async throws {
        let gate = CallGate(concurrency: 2, requestsPerMinute: nil, tokensPerMinute: nil)
        await gate.acquireSlot()
        await gate.acquireSlot()
        let order = Shared<[Int]>([])
        var waiters: [Task<Void, Never>] = []
        for i in 0..<3 {
            waiters.append(Task {
                await gate.acquireSlot()
                order.withLock { $0.append(i) }
            })
            // Each waiter queues up before the next one starts.
            try await waitUntilWaiting(gate, i + 1)
        }
        #expect(order.withLock { $0 }.isEmpty)
        gate.releaseSlot(rateLimited: false, succeeded: true)
        await waiters[0].value
        gate.releaseSlot(rateLimited: false, succeeded: true)
        gate.releaseSlot(rateLimited: false, succeeded: true)
        await waiters[1].value
        await waiters[2].value
        #expect(order.withLock { $0 } == [0, 1, 2])
    }
}
