/// One call to make: a (query, candidate, sample) triple and its rendered request.
public struct PairTask: Sendable, Hashable {
    public var queryIndex: Int
    public var candidateIndex: Int
    public var sampleIndex: Int
    public var request: ChatRequest
}

/// Every call a run needs, in dataset order.
public struct RunPlan: Sendable {
    public var tasks: [PairTask]

    /// Renders every pair of `dataset` with `prompt` under `settings`.
    public init(dataset: Dataset, prompt: ScoringPrompt, settings: RunSettings) throws(PromptValidationError) {
        let renderer = try PromptRenderer(prompt: prompt, mode: settings.mode)
        var tasks: [PairTask] = []
        tasks.reserveCapacity(dataset.candidateCount * settings.samples)
        for (qi, query) in dataset.queries.enumerated() {
            for (ci, candidate) in query.candidates.enumerated() {
                let messages = renderer.messages(query: query.text, document: candidate.text)
                for s in 0..<max(1, settings.samples) {
                    let request = ChatRequest(model: settings.model, messages: messages, temperature: settings.temperature,
                                              maxTokens: settings.maxTokens, stop: settings.stop, topLogprobs: settings.topLogprobs,
                                              sampleIndex: s, query: query.text, document: candidate.text)
                    tasks.append(PairTask(queryIndex: qi, candidateIndex: ci, sampleIndex: s, request: request))
                }
            }
        }
        self.tasks = tasks
    }

    public var count: Int { tasks.count }
}
