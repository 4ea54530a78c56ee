/// A query's side of a held-out split: tune on `dev`, confirm on `test` once.
public enum DatasetSplit: String, Sendable, Hashable, Codable, CaseIterable {
    case dev, test
}
