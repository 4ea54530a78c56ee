import RerankCore

/// The Probes view's state: the attacks chosen for the next probe, and the probe in flight or
/// the last one finished in this session.
public struct ProbeSession: Sendable {
    /// The attacks the next probe adds (every one at first).
    public var chosen: Set<ProbeAttack> = Set(ProbeAttack.allCases)
    /// Memories of each attack added to each query.
    public var perQuery = 1
    public var seed: UInt64 = 1
    /// The probe in flight, or the last one this session started.
    public var progress: ProbeProgress?
    /// The last probe that finished (kept while a new one runs, until it ends).
    public var outcome: ProbeOutcome?

    public init() {}

    /// The choices as the probe takes them, in the attacks' own order.
    public var settings: ProbeSettings {
        ProbeSettings(attacks: ProbeAttack.allCases.filter { chosen.contains($0) }, perQuery: perQuery, seed: seed)
    }

    public var isRunning: Bool { progress?.running == true }

    /// The most memories of each attack a query gets from the view (the command's limit).
    public static let maxPerQuery = 20
}

/// A probe started from the workbench, while it runs and after.
public struct ProbeProgress: Sendable, Equatable {
    public var running: Bool
    /// Calls done (answered from the cache or made) of the calls planned.
    public var done: Int
    public var planned: Int
    /// What it probes: prompt, mode, provider and model.
    public var subject: String
    /// The split the numbers come from (nil: every query of a file without one).
    public var split: SplitSelection?
    public var queries: Int
    public var probe: ProbeSettings
    /// Why it did not finish (stopped, a provider's refusal, a store error).
    public var stopMessage: String?

    public init(running: Bool, done: Int, planned: Int, subject: String, split: SplitSelection?, queries: Int, probe: ProbeSettings) {
        self.running = running
        self.done = done
        self.planned = planned
        self.subject = subject
        self.split = split
        self.queries = queries
        self.probe = probe
    }
}

/// A finished probe: its report, and what the query view needs to show where the injected
/// memories landed and the exact messages sent.
public struct ProbeOutcome: Sendable {
    public var report: ProbeReport
    /// The run of the probed queries (every memory's rank and score).
    public var run: RunReport
    /// The probed copy of the queries (the user's memories and the injected ones); never saved.
    public var probed: Dataset
    public var injected: [InjectedMemory]
    /// The prompt and settings the probe ran with (the messages are rendered from them).
    public var prompt: ScoringPrompt
    public var settings: RunSettings
    /// Each call's reply, by query and memory.
    public var results: [PairResult]
    public var runID: Int64?
    public var calledNow: Int
    public var cachedNow: Int

    public init(report: ProbeReport, run: RunReport, probed: Dataset, injected: [InjectedMemory], prompt: ScoringPrompt,
                settings: RunSettings, results: [PairResult], runID: Int64?, calledNow: Int, cachedNow: Int) {
        self.report = report
        self.run = run
        self.probed = probed
        self.injected = injected
        self.prompt = prompt
        self.settings = settings
        self.results = results
        self.runID = runID
        self.calledNow = calledNow
        self.cachedNow = cachedNow
    }

    /// The queries the report measured, in file order, once each.
    public var queryIDs: [String] {
        var seen = Set<String>()
        return report.queries.map(\.queryID).filter { seen.insert($0).inserted }
    }

    /// The attack that wrote a memory of a query; nil for the user's own memories.
    public func attack(queryID: String, memoryID: String) -> ProbeAttack? {
        injected.first { $0.queryID == queryID && $0.id == memoryID }?.attack
    }
}
