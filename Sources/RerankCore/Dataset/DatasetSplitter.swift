import Foundation

/// Makes a held-out split of a dataset file: a copy with `"split": "dev"` or `"test"` on every
/// query line, everything else on the line kept as it was.
///
/// - Deterministic: the same file, fraction, seed and grouping give the same split.
/// - Stratified by whether a query has any relevant candidate, so both sides hold the same
///   share of queries with something to find.
/// - Grouped by a field of the query line (`user_id`, a conversation id): a group's queries land
///   on one side together, so the test side never holds queries about a user the prompt was
///   tuned on. A query without the field is its own group. A group's stratum is the one most of
///   its queries are in.
public struct DatasetSplitter: Sendable {
    /// The share of queries for the test side, strictly between 0 and 1.
    public var testFraction: Double
    public var seed: UInt64
    /// The field of the query line that groups queries (nil: every query alone).
    public var groupField: String?
    /// Labels at or above this count as relevant for the stratification.
    public var relevanceThreshold: Int

    public init(testFraction: Double, seed: UInt64, groupField: String? = nil, relevanceThreshold: Int = 1) {
        self.testFraction = testFraction
        self.seed = seed
        self.groupField = groupField
        self.relevanceThreshold = relevanceThreshold
    }

    /// What a split made, for the command's summary line.
    public struct Outcome: Sendable {
        /// The new file's text.
        public var text: String
        public var sides: [DatasetSplit]
        public var devQueries: Int { sides.filter { $0 == .dev }.count }
        public var testQueries: Int { sides.filter { $0 == .test }.count }
        /// Queries with a relevant candidate on each side.
        public var devWithRelevant: Int
        public var testWithRelevant: Int
        /// How many groups there were (queries without the field count one each).
        public var groups: Int
        /// Queries that had no value for the group field.
        public var withoutGroupField: Int
    }

    /// One unit that moves as a whole: a group of queries, by their positions in the file.
    public struct Unit: Sendable, Equatable {
        public var members: [Int]
        public var relevant: Bool

        public init(members: [Int], relevant: Bool) {
            self.members = members
            self.relevant = relevant
        }
    }

    /// Splits the dataset file at `path` (checked by `DatasetLoader` first; any earlier `split`
    /// field is replaced).
    public func split(path: String) throws(InputError) -> Outcome {
        guard testFraction > 0, testFraction < 1 else {
            throw InputError(file: path, message: "the test share \(testFraction) is not between 0 and 1", remedies: [.use(.testShare, value: "0.3")])
        }
        let dataset = try DatasetLoader().load(path: path)
        // Read the lines again to keep every field (metadata and all) exactly as written.
        var lines: [(number: Int, text: String, value: JSONValue?)] = []
        let queryLines = Set(dataset.queries.map(\.line))
        for (number, bytes) in LineReader(path: path) {
            let text = String(decoding: bytes, as: UTF8.self)
            guard queryLines.contains(number), let content = DatasetLoader.meaningfulContent(bytes),
                  let value = try? JSONParser.parse(Array(content)) else {
                lines.append((number, text, nil))
                continue
            }
            lines.append((number, text, value))
        }
        let valuesByLine = Dictionary(lines.compactMap { l in l.value.map { (l.number, $0) } }, uniquingKeysWith: { a, _ in a })
        var keys: [String?] = []
        for q in dataset.queries {
            keys.append(groupField.flatMap { Self.groupKey(valuesByLine[q.line]?[$0]) })
        }
        if let groupField, keys.allSatisfy({ $0 == nil }) {
            throw InputError(file: path, field: groupField, message: "no query line has a \"\(groupField)\" field to group queries by",
                             remedies: [.set(.groupBy, placeholder: "FIELD (one the query lines carry, for example user_id)"), .drop(.groupBy)])
        }
        let relevant = dataset.queries.map { $0.hasRelevantCandidate(threshold: relevanceThreshold) }
        let units = Self.units(keys: keys, relevant: relevant)
        let sides = Self.assign(units, queryCount: dataset.queries.count, testFraction: testFraction, seed: seed)
        let sideByLine = Dictionary(uniqueKeysWithValues: zip(dataset.queries.map(\.line), sides))
        var out: [String] = []
        for l in lines {
            guard let value = l.value, let side = sideByLine[l.number], case let .object(members) = value else {
                out.append(l.text)
                continue
            }
            var fields = members.filter { $0.0 != "split" }
            fields.append(("split", .string(side.rawValue)))
            out.append(JSONValue.object(fields).serialized())
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return Outcome(text: out.joined(separator: "\n") + "\n", sides: sides,
                       devWithRelevant: zip(sides, relevant).filter { $0 == .dev && $1 }.count,
                       testWithRelevant: zip(sides, relevant).filter { $0 == .test && $1 }.count,
                       groups: units.count, withoutGroupField: groupField == nil ? 0 : keys.filter { $0 == nil }.count)
    }

    /// A group field's value as a key: strings as they are, numbers by their literal, anything
    /// else by its JSON text; absent or null is no group.
    static func groupKey(_ value: JSONValue?) -> String? {
        switch value {
        case .none, .some(.null): nil
        case let .some(.string(s)): "s:" + s
        case let .some(.number(_, literal)): "n:" + literal
        case let .some(other): "j:" + other.serialized()
        }
    }

    /// Queries (by position) gathered into units: one per group key, in order of first
    /// appearance; a query with no key is a unit alone. A unit is relevant when most of its
    /// queries have a relevant candidate (half or more).
    public static func units(keys: [String?], relevant: [Bool]) -> [Unit] {
        var units: [Unit] = []
        var unitOfKey: [String: Int] = [:]
        for (i, key) in keys.enumerated() {
            if let key, let u = unitOfKey[key] {
                units[u].members.append(i)
                continue
            }
            if let key { unitOfKey[key] = units.count }
            units.append(Unit(members: [i], relevant: false))
        }
        for u in units.indices {
            let hits = units[u].members.filter { relevant[$0] }.count
            units[u].relevant = 2 * hits >= units[u].members.count
        }
        return units
    }

    /// Sides for `queryCount` queries. Within each stratum the units are shuffled with the seed,
    /// then each goes to test if that brings the stratum's test count closer to its target
    /// (the fraction of the stratum's queries, rounded), else to dev.
    public static func assign(_ units: [Unit], queryCount: Int, testFraction: Double, seed: UInt64) -> [DatasetSplit] {
        var sides = [DatasetSplit](repeating: .dev, count: queryCount)
        var rng = SeededRandom(seed: seed)
        for stratum in [false, true] {
            var members = units.filter { $0.relevant == stratum }
            // Fisher-Yates with the seeded generator: the same seed gives the same order everywhere.
            if members.count > 1 {
                for i in stride(from: members.count - 1, to: 0, by: -1) {
                    members.swapAt(i, rng.next(below: i + 1))
                }
            }
            let total = members.reduce(0) { $0 + $1.members.count }
            let target = (Double(total) * testFraction).rounded()
            var test = 0.0
            for unit in members {
                let size = Double(unit.members.count)
                if abs(test + size - target) < abs(test - target) {
                    test += size
                    for m in unit.members { sides[m] = .test }
                }
            }
        }
        return sides
    }
}
