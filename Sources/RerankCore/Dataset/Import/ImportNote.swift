/// Something an import dropped, repaired or found odd, counted by reason with a few examples,
/// so the front end can say what happened without the core printing anything.
public struct ImportNote: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case info, warning }

    public var severity: Severity
    /// What happened, with its consequence (`QA entries with no evidence, not imported`).
    public var reason: String
    public var count: Int
    /// The first few items concerned (ids as data: callers show them inert).
    public var examples: [String]
    /// What to do about it (keep what was skipped), worded by each front end.
    public var remedies: [Remedy]

    public init(_ severity: Severity, _ reason: String, count: Int, examples: [String] = [], remedies: [Remedy] = []) {
        self.severity = severity
        self.reason = reason
        self.count = count
        self.examples = examples
        self.remedies = remedies
    }

    /// How many examples a note keeps.
    public static let exampleLimit = 5

    public var description: String { message(.plain) }

    /// "reason (remedy): count (e.g. ...)" in a front end's words.
    public func message(_ wording: RemedyWording) -> String {
        // Reason first, count after: reasons are plural phrases, so "1 questions" never appears.
        var s = reason + (remedies.isEmpty ? "" : " (\(wording.join(remedies)))") + ": \(count)"
        if !examples.isEmpty {
            s += " (e.g. " + examples.joined(separator: ", ") + (count > examples.count ? ", ..." : "") + ")"
        }
        return s
    }
}

/// Collects notes by reason, keeping the order in which reasons first appear.
struct ImportNotes {
    private var order: [String] = []
    private var byReason: [String: ImportNote] = [:]

    mutating func add(_ severity: ImportNote.Severity, _ reason: String, example: String? = nil, count: Int = 1,
                      remedies: [Remedy] = []) {
        if byReason[reason] == nil {
            order.append(reason)
            byReason[reason] = ImportNote(severity, reason, count: 0, remedies: remedies)
        }
        byReason[reason]!.count += count
        if let example, byReason[reason]!.examples.count < ImportNote.exampleLimit {
            byReason[reason]!.examples.append(example)
        }
    }

    var notes: [ImportNote] { order.map { byReason[$0]! } }
}
