import Synchronization

/// Decides when the next call may start: an adaptive in-flight limit (halved on every 429,
/// growing back by one per round of successes, like TCP's congestion window) and optional
/// requests-per-minute and tokens-per-minute budgets over a sliding minute.
///
/// A lock rather than an actor: every call takes and gives back a slot, and with an actor each
/// of those is a hop to the actor's executor and back; under the lock a free slot is taken
/// without suspending at all. Only a call that must wait suspends (on a continuation that
/// `releaseSlot` resumes).
final class CallGate: Sendable {
    private struct State {
        var limit: Double
        var inFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var recent: [(time: Double, tokens: Int)] = []
    }

    private let maxLimit: Double
    private let requestsPerMinute: Int?
    private let tokensPerMinute: Int?
    private let state: Mutex<State>

    init(concurrency: Int, requestsPerMinute: Int?, tokensPerMinute: Int?) {
        maxLimit = Double(max(1, concurrency))
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        state = Mutex(State(limit: maxLimit))
    }

    /// The current in-flight limit (for progress displays and tests).
    var currentLimit: Int { state.withLock { Int($0.limit) } }

    /// How many calls wait for a slot (for tests).
    var waitingCount: Int { state.withLock { $0.waiters.count } }

    /// Whether calls are counted against per-minute budgets at all.
    var hasRateLimits: Bool { requestsPerMinute != nil || tokensPerMinute != nil }

    /// Waits for an in-flight slot.
    func acquireSlot() async {
        let taken = state.withLock { s -> Bool in
            guard s.inFlight < Int(s.limit) else { return false }
            s.inFlight += 1
            return true
        }
        if taken { return }
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            // A slot may have come free between the check above and now.
            let resumeNow = state.withLock { s -> Bool in
                if s.inFlight < Int(s.limit) {
                    s.inFlight += 1
                    return true
                }
                s.waiters.append(waiter)
                return false
            }
            if resumeNow { waiter.resume() }
        }
    }

    /// Gives the slot back and adapts the limit to how the call went.
    func releaseSlot(rateLimited: Bool, succeeded: Bool) {
        let woken = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.inFlight -= 1
            if rateLimited {
                s.limit = max(1, s.limit / 2)
            } else if succeeded {
                s.limit = min(maxLimit, s.limit + 1 / s.limit)
            }
            var woken: [CheckedContinuation<Void, Never>] = []
            while s.inFlight < Int(s.limit), !s.waiters.isEmpty {
                s.inFlight += 1
                woken.append(s.waiters.removeFirst())
            }
            return woken
        }
        // Resumed outside the lock: a resumed task may come straight back for the lock.
        for waiter in woken { waiter.resume() }
    }

    /// Seconds to wait before a call of about `tokens` tokens fits the per-minute budgets,
    /// or nil when it may start now (and is then counted).
    func rateDelay(now: Double, tokens: Int) -> Double? {
        guard hasRateLimits else { return nil }
        return state.withLock { s -> Double? in
            s.recent.removeAll { now - $0.time >= 60 }
            var wait = 0.0
            if let rpm = requestsPerMinute, s.recent.count >= rpm {
                wait = max(wait, 60 - (now - s.recent[s.recent.count - rpm].time))
            }
            if let tpm = tokensPerMinute {
                var used = s.recent.reduce(0) { $0 + $1.tokens }
                var i = 0
                while used + tokens > tpm, i < s.recent.count {
                    used -= s.recent[i].tokens
                    wait = max(wait, 60 - (now - s.recent[i].time))
                    i += 1
                }
            }
            if wait > 0 { return wait }
            s.recent.append((now, tokens))
            return nil
        }
    }
}
