/// One memory of one query, as labels are addressed in a dataset file (by ids, not positions,
/// so an edit still finds its memory in a file someone else changed meanwhile).
public struct LabelKey: Sendable, Hashable, Codable, Comparable {
    public var queryID: String
    public var memoryID: String

    public init(queryID: String, memoryID: String) {
        self.queryID = queryID
        self.memoryID = memoryID
    }

    public static func < (a: LabelKey, b: LabelKey) -> Bool { (a.queryID, a.memoryID) < (b.queryID, b.memoryID) }
}

/// A label going from `old` to `new` (nil: unjudged).
public struct LabelChange: Sendable, Hashable, Codable {
    public var key: LabelKey
    public var old: Int?
    public var new: Int?

    public init(key: LabelKey, old: Int?, new: Int?) {
        self.key = key
        self.old = old
        self.new = new
    }

    /// The same change the other way round (what undo applies).
    public var reversed: LabelChange { LabelChange(key: key, old: new, new: old) }

    /// A label as people read it: the number, or "unjudged".
    public static func text(_ label: Int?) -> String { label.map(String.init) ?? "unjudged" }
}

extension Dataset {
    /// The label of a memory, or nil when the memory is not in the dataset (`.some(nil)`: unjudged).
    public func label(_ key: LabelKey) -> Int?? {
        guard let q = queries.first(where: { $0.id == key.queryID }),
              let c = q.candidates.first(where: { $0.id == key.memoryID }) else { return nil }
        return .some(c.relevance)
    }

    /// Sets a memory's label in memory (not in the file); false when the memory is not there.
    @discardableResult
    public mutating func setLabel(_ label: Int?, for key: LabelKey) -> Bool {
        guard let qi = queries.firstIndex(where: { $0.id == key.queryID }),
              let ci = queries[qi].candidates.firstIndex(where: { $0.id == key.memoryID }) else { return false }
        queries[qi].candidates[ci].relevance = label.flatMap { $0 >= 0 ? $0 : nil }
        return true
    }
}
