/// What a probe adds: which attacks, how many memories of each per query, from which seed.
public struct ProbeSettings: Sendable, Hashable, Codable {
    public var attacks: [ProbeAttack]
    /// Memories of each attack added to each query.
    public var perQuery: Int
    public var seed: UInt64

    public init(attacks: [ProbeAttack] = ProbeAttack.allCases, perQuery: Int = 1, seed: UInt64 = 1) {
        self.attacks = attacks
        self.perQuery = perQuery
        self.seed = seed
    }

    /// One line for a stored run's label and the reports.
    public var summary: String {
        "probe \(attacks.map(\.rawValue).joined(separator: ",")) x\(perQuery) seed \(seed)"
    }
}

/// One adversarial memory added to one query.
public struct InjectedMemory: Sendable, Hashable, Codable {
    public var queryID: String
    /// Names its attack (`probe-<attack>-<n>`) and differs from every id of the dataset.
    public var id: String
    public var attack: ProbeAttack
    public var text: String

    public init(queryID: String, id: String, attack: ProbeAttack, text: String) {
        self.queryID = queryID
        self.id = id
        self.attack = attack
        self.text = text
    }
}
