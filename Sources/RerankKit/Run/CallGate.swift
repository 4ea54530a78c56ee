/// Decides when the next call may start: an adaptive in-flight limit (halved on every 429,
/// growing back by one per round of successes, like TCP's congestion window) and optional
/// requests-per-minute and tokens-per-minute budgets over a sliding minute.
actor CallGate {
    private let maxLimit: Double
    private var limit: Double
    private var inFlight = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private let requestsPerMinute: Int?
    private let tokensPerMinute: Int?
    private var recent: [(time: Double, tokens: Int)] = []

    init(concurrency: Int, requestsPerMinute: Int?, tokensPerMinute: Int?) {
        maxLimit = Double(max(1, concurrency))
        limit = maxLimit
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
    }

    /// The current in-flight limit (for progress displays and tests).
    var currentLimit: Int { Int(limit) }

    /// Waits for an in-flight slot.
    func acquireSlot() async {
        if inFlight < Int(limit) {
            inFlight += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Gives the slot back and adapts the limit to how the call went.
    func releaseSlot(rateLimited: Bool, succeeded: Bool) {
        inFlight -= 1
        if rateLimited {
            limit = max(1, limit / 2)
        } else if succeeded {
            limit = min(maxLimit, limit + 1 / limit)
        }
        while inFlight < Int(limit), !waiters.isEmpty {
            inFlight += 1
            waiters.removeFirst().resume()
        }
    }

    /// Seconds to wait before a call of about `tokens` tokens fits the per-minute budgets,
    /// or nil when it may start now (and is then counted).
    func rateDelay(now: Double, tokens: Int) -> Double? {
        guard requestsPerMinute != nil || tokensPerMinute != nil else { return nil }
        recent.removeAll { now - $0.time >= 60 }
        var wait = 0.0
        if let rpm = requestsPerMinute, recent.count >= rpm {
            wait = max(wait, 60 - (now - recent[recent.count - rpm].time))
        }
        if let tpm = tokensPerMinute {
            var used = recent.reduce(0) { $0 + $1.tokens }
            var i = 0
            while used + tokens > tpm, i < recent.count {
                used -= recent[i].tokens
                wait = max(wait, 60 - (now - recent[i].time))
                i += 1
            }
        }
        if wait > 0 { return wait }
        recent.append((now, tokens))
        return nil
    }
}
