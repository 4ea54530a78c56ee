/// The user's queries with adversarial memories added after their own candidates. A new value:
/// the dataset it was made from, and its file, are never changed.
public struct ProbedDataset: Sendable {
    /// The queries as given (what the metrics on the original memories are computed on).
    public var original: Dataset
    /// The same queries with the injected memories appended, label 0, under a content hash of
    /// their own (so a stored probe run never passes for a run of the file).
    public var dataset: Dataset
    public var injected: [InjectedMemory]
    public var settings: ProbeSettings

    public init(_ original: Dataset, settings: ProbeSettings, writer: ProbeMemoryWriter) {
        self.original = original
        self.settings = settings
        var taken = Set<String>()
        for q in original.queries {
            for c in q.candidates { taken.insert(c.id) }
            for id in q.judgments.keys { taken.insert(id) }
        }
        var injected: [InjectedMemory] = []
        var queries: [Query] = []
        for query in original.queries {
            var probed = query
            for attack in settings.attacks {
                for n in 0..<max(0, settings.perQuery) {
                    let id = Self.freeID("probe-\(attack.rawValue)-\(n + 1)", taken: taken)
                    let memory = InjectedMemory(queryID: query.id, id: id, attack: attack,
                                                text: writer.text(attack, query: query, index: n, seed: settings.seed))
                    injected.append(memory)
                    // After the originals: a tie with an original loses under mem0's stable order,
                    // so a success is never a tie-break artefact.
                    probed.candidates.append(Candidate(id: id, text: memory.text, relevance: 0, fileIndex: probed.candidates.count))
                }
            }
            queries.append(probed)
        }
        let hash = Digest.sha256("\(original.contentHash)\n\(settings.summary)\nparser=\(writer.parser.rawValue) scale=\(writer.scale.rawValue)")
        dataset = Dataset(path: original.path, queries: queries, contentHash: hash, warnings: original.warnings)
        self.injected = injected
    }

    /// `base`, else `base-x2`, `base-x3`, ...: the first not used by any id of the dataset.
    static func freeID(_ base: String, taken: Set<String>) -> String {
        guard taken.contains(base) else { return base }
        var n = 2
        while taken.contains("\(base)-x\(n)") { n += 1 }
        return "\(base)-x\(n)"
    }

    /// The attack that wrote this candidate of this query; nil for an original memory.
    public func attack(queryID: String, candidateID: String) -> ProbeAttack? {
        injected.first { $0.queryID == queryID && $0.id == candidateID }?.attack
    }
}

extension ResolvedRun {
    /// This run on its queries with the probe's memories added: the same prompt, settings and
    /// provider, and a plan rendered the usual way, so injected pairs are scored and cached like
    /// any other pair.
    public func probed(_ settings: ProbeSettings) throws(RecipeError) -> (ResolvedRun, ProbedDataset) {
        let probe = ProbedDataset(dataset, settings: settings,
                                  writer: ProbeMemoryWriter(parser: self.settings.parser, scale: self.settings.scale))
        let plan: RunPlan
        do { plan = try RunPlan(dataset: probe.dataset, prompt: prompt, settings: self.settings) } catch {
            throw RecipeError(.invalidPrompt, error.description)
        }
        return (ResolvedRun(dataset: probe.dataset, prompt: prompt, settings: self.settings, provider: provider, plan: plan, notes: notes), probe)
    }
}
