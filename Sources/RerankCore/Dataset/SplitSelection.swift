/// Which queries of a dataset a run evaluates: one side of its split, or every query.
public enum SplitSelection: String, Sendable, Hashable, Codable, CaseIterable {
    case dev, test, all

    /// The split a run uses when none is asked for: `dev` on a file with splits, so the held-out
    /// queries are only evaluated when asked for by name (each look at them spends some of their
    /// worth as a clean estimate); `all` on a file without.
    public static func `default`(for dataset: Dataset) -> SplitSelection {
        dataset.hasSplits ? .dev : .all
    }

    /// The selection a run uses: `requested`, or the default. Asking for `dev` or `test` on a
    /// file without splits is an error naming the fix.
    public static func resolve(_ requested: SplitSelection?, for dataset: Dataset) throws(RecipeError) -> SplitSelection {
        guard let requested else { return .default(for: dataset) }
        if requested != .all, !dataset.hasSplits {
            throw RecipeError(.badSplit, "the \(requested.rawValue) split was asked for, but the file has no \"split\" field on any query",
                              file: dataset.path, remedies: [.makeSplit(dataset: dataset.path), .use(.split, value: SplitSelection.all.rawValue)])
        }
        let kept = dataset.selecting(requested).queries.count
        if kept == 0 {
            throw RecipeError(.badSplit, "no query is in the \(requested.rawValue) split; check the file's \"split\" fields", file: dataset.path)
        }
        return requested
    }

    /// How outputs name it: "dev split", "test split", "all queries (dev and test)".
    public var description: String {
        self == .all ? "all queries (dev and test)" : "\(rawValue) split"
    }
}

extension Dataset {
    /// Whether any query carries a `split` field.
    public var hasSplits: Bool { queries.contains { $0.split != nil } }

    /// The queries of one side of the split (every query for `.all`); path and content hash stay
    /// the file's, since the run still used that file.
    public func selecting(_ selection: SplitSelection) -> Dataset {
        var copy = self
        switch selection {
        case .all: break
        case .dev: copy.queries = queries.filter { $0.split == .dev }
        case .test: copy.queries = queries.filter { $0.split == .test }
        }
        return copy
    }
}
