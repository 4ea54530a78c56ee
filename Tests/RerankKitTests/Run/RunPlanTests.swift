import RerankKit
@testable import RerankCore
import Testing

/// `RunPlan.tasks(queries:)` writes each query's tasks in place on every core; these hold it to
/// the plain order: queries, then candidates, then samples, each request rendered as the
/// prompt renderer renders it.
@Suite struct RunPlanTests {
    /// Twenty queries of 0 to 5 candidates (enough for `Parallel.map` to cut them into parts).
    static let dataset = Dataset(path: "plan", queries: (0..<20).map { q in
        Query(id: "q\(q)", text: "query \(q) ünïcode", candidates: (0..<(q * 7 % 6)).map { c in
            Candidate(id: "q\(q)d\(c)", text: "memory \(q).\(c) " + String(repeating: "x", count: c * 3), relevance: c % 3)
        })
    })

    @Test(arguments: [1, 3], ["vllm", "lexical"])
    func tasksAreEveryQueryCandidateAndSampleInOrder(samples: Int, provider: String) throws {
        let settings = RunSettings(provider: provider, model: "m", samples: samples)
        let plan = try RunPlan(dataset: Self.dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
        let renderer = try PromptRenderer(prompt: BuiltinPrompts.mem0SystemPrompt, mode: settings.mode)
        let rendersPrompt = provider != "lexical"
        #expect(Self.dataset.queries[6].candidates.isEmpty, "a query with nothing to rerank is among them")
        for window in [0..<20, 0..<1, 6..<7, 5..<17, 19..<20, 0..<0] {
            var expected: [PairTask] = []
            for qi in window {
                let query = Self.dataset.queries[qi]
                for (ci, candidate) in query.candidates.enumerated() {
                    for s in 0..<samples {
                        let messages = rendersPrompt ? renderer.messages(query: query.text, document: candidate.text) : []
                        expected.append(PairTask(queryIndex: qi, candidateIndex: ci, sampleIndex: s,
                                                 request: ChatRequest(model: "m", messages: messages, temperature: settings.temperature,
                                                                      maxTokens: settings.maxTokens, stop: settings.stop,
                                                                      topLogprobs: settings.topLogprobs, sampleIndex: s,
                                                                      query: query.text, document: candidate.text)))
                    }
                }
            }
            let tasks = plan.tasks(queries: window)
            #expect(tasks == expected, "window \(window)")
            #expect(plan.count(queries: window) == expected.count)
        }
        #expect(plan.tasks == plan.tasks(queries: 0..<20))
    }
}
