/// One call to make: a (query, candidate, sample) triple and its rendered request.
public struct PairTask: Sendable, Hashable {
    public var queryIndex: Int
    public var candidateIndex: Int
    public var sampleIndex: Int
    public var request: ChatRequest
}

/// Every call a run needs, in dataset order.
///
/// The requests are rendered when asked for, a range of queries at a time: a million pairs'
/// rendered messages (the prompt copied into each) held at once took gigabytes (issue 16).
public struct RunPlan: Sendable {
    public let dataset: Dataset
    let renderer: PromptRenderer
    let settings: RunSettings
    /// Calls in the whole plan: candidates x samples.
    public let count: Int

    /// Checks that `prompt` renders under `settings` (nothing is rendered yet).
    public init(dataset: Dataset, prompt: ScoringPrompt, settings: RunSettings) throws(PromptValidationError) {
        self.renderer = try PromptRenderer(prompt: prompt, mode: settings.mode)
        self.dataset = dataset
        self.settings = settings
        self.count = dataset.candidateCount * max(1, settings.samples)
    }

    /// The tasks of the queries in `queries` (indices into the dataset), in dataset order.
    public func tasks(queries: Range<Int>) -> [PairTask] {
        // Each query's tasks are written in place, at the query's offset in the one array: a
        // part per core made separately and joined copied every task once more (a hundredth
        // of a cached re-run's CPU). Rendered on every core, a query each: one core rendering a window's
        // prompts was a tenth of a cached re-run, the other core idle. A few queries are enough
        // for a part: at 64, a 110-query window of 100 candidates each was rendered on one core.
        let (offsets, total) = Self.offsets(of: queries, in: dataset, samples: max(1, settings.samples))
        guard total > 0 else { return [] }
        return [PairTask](unsafeUninitializedCapacity: total) { buffer, initialized in
            let out = TaskSlots(base: buffer.baseAddress!)
            _ = Parallel.map(count: queries.count, minimumPerPart: 4) { i in
                self.writeTasks(ofQuery: queries.lowerBound + i, to: out.base + offsets[i])
            }
            initialized = total
        }
    }

    /// Where each of `queries`' tasks start among theirs (in dataset order: candidate by
    /// candidate, sample by sample), and how many there are.
    public static func offsets(of queries: Range<Int>, in dataset: Dataset, samples: Int) -> (starts: [Int], total: Int) {
        var starts: [Int] = []
        starts.reserveCapacity(queries.count)
        var total = 0
        for qi in queries {
            starts.append(total)
            total += dataset.queries[qi].candidates.count * samples
        }
        return (starts, total)
    }

    /// Initializes the query's candidates × samples tasks from `start` on, in order.
    private func writeTasks(ofQuery qi: Int, to start: UnsafeMutablePointer<PairTask>) {
        // A provider that ignores the prompt reads only the query and the document: rendering
        // the prompt for each of its pairs was wasted work, a million times over.
        let render = !ProviderCatalog.ignoresPrompt(settings.provider)
        let query = dataset.queries[qi]
        var next = start
        for (ci, candidate) in query.candidates.enumerated() {
            let messages = render ? renderer.messages(query: query.text, document: candidate.text) : []
            for s in 0..<max(1, settings.samples) {
                let request = ChatRequest(model: settings.model, messages: messages, temperature: settings.temperature,
                                          maxTokens: settings.maxTokens, stop: settings.stop, topLogprobs: settings.topLogprobs,
                                          sampleIndex: s, query: query.text, document: candidate.text)
                next.initialize(to: PairTask(queryIndex: qi, candidateIndex: ci, sampleIndex: s, request: request))
                next += 1
            }
        }
    }

    /// The characters of every request's messages plus `perMessage` for each message, counted
    /// without rendering them (a million rendered prompts took seconds where the workbench
    /// starts a run). Zero for a provider that ignores the prompt (it is sent nothing).
    public func renderedCharacters(perMessage: Int) -> Int {
        guard !ProviderCatalog.ignoresPrompt(settings.provider) else { return 0 }
        let count = renderer.characterCount(perMessage: perMessage)
        let queries = dataset.queries
        let perQuery = Parallel.map(count: queries.count, minimumPerPart: 256) { i in
            let q = count.characters(queries[i].text)
            return queries[i].candidates.reduce(0) { $0 + count.pair(queryCharacters: q, document: $1.text) }
        }
        return perQuery.reduce(0, +) * max(1, settings.samples)
    }

    /// Every task at once: for small plans (exports, tests). Runs go by windows.
    public var tasks: [PairTask] { tasks(queries: 0..<dataset.queries.count) }

    /// Calls the given queries need.
    public func count(queries: Range<Int>) -> Int {
        dataset.queries[queries].reduce(0) { $0 + $1.candidates.count } * max(1, settings.samples)
    }

    /// The queries cut into consecutive ranges of about `pairs` calls each (a query is never
    /// split; one larger than `pairs` is a window of its own).
    public func windows(pairs: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0, size = 0
        let samples = max(1, settings.samples)
        for (qi, query) in dataset.queries.enumerated() {
            size += query.candidates.count * samples
            if size >= pairs {
                out.append(start..<(qi + 1))
                start = qi + 1
                size = 0
            }
        }
        if start < dataset.queries.count { out.append(start..<dataset.queries.count) }
        return out
    }
}

/// Where `tasks(queries:)`'s workers write: each initializes its own queries' slots of one
/// array, which no one reads until every worker has returned.
private struct TaskSlots: @unchecked Sendable {
    let base: UnsafeMutablePointer<PairTask>
}
