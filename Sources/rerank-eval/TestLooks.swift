import RerankKit

/// The store's count of looks at a dataset's test split, for the outputs that show test numbers.
enum TestLooks {
    /// The count for a report that covers test queries (a `--split test` or `all` run on a file
    /// with a split); nil for any other report, or when the store cannot say.
    static func count(for report: RunReport, store: RunStore) -> Int? {
        guard TestLook.includesTest(report.settings.split) else { return nil }
        return try? store.testLookCount(datasetHash: report.datasetHash)
    }
}
