import Foundation

/// Prices per million tokens, from the bundled table (`Resources/prices.json`) or a user file.
public struct PriceTable: Sendable {
    public struct Price: Sendable, Hashable, Codable {
        public var input: Double
        public var output: Double

        public init(input: Double, output: Double) {
            self.input = input
            self.output = output
        }

        public func cost(_ usage: TokenUsage) -> Double {
            (Double(usage.promptTokens) * input + Double(usage.completionTokens) * output) / 1_000_000
        }
    }

    public var models: [String: Price]
    public var freeProviders: Set<String>
    /// Per provider, the share taken off both prices for a request sent through its batch API
    /// (0.5: half price); the sources are in `prices.json`.
    public var batchDiscounts: [String: Double]

    public init(models: [String: Price], freeProviders: Set<String> = [], batchDiscounts: [String: Double] = [:]) {
        self.models = models
        self.freeProviders = freeProviders
        self.batchDiscounts = batchDiscounts
    }

    /// This table as a batch run of `provider` pays: every price less the provider's batch
    /// discount (none known: the table unchanged).
    public func forBatch(provider: String) -> PriceTable {
        guard let discount = batchDiscounts[provider], discount > 0, discount < 1 else { return self }
        var table = self
        table.models = models.mapValues { Price(input: $0.input * (1 - discount), output: $0.output * (1 - discount)) }
        table.batchDiscounts = [:]
        return table
    }

    /// The table shipped with RerankBench (`Resources/prices.json`); empty, every model's cost
    /// unknown, when it cannot be found (`bundledSource` is then nil, for a front end to say so).
    public static let bundled: PriceTable = bundledLoad.table

    /// Where the shipped table was read from; nil when it was not found.
    public static var bundledSource: String? { bundledLoad.source }

    /// The places the shipped table is looked for, in order: the resources folder SwiftPM puts
    /// beside the executable, then the source tree it was built from. Not `Bundle.module`: its
    /// accessor stops the process (fatalError) when neither its folder nor the build's is there,
    /// as for a release binary copied away alone.
    static var bundledCandidates: [String] {
        let beside = Bundle.main.bundleURL.appendingPathComponent("RerankBench_RerankCore.resources/prices.json").path
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Resources/prices.json").path
        return [beside, source]
    }

    private static let bundledLoad = loadShipped(from: bundledCandidates)

    /// The first of `paths` that reads as a price table, and its path; an empty table and nil when none does.
    static func loadShipped(from paths: [String]) -> (table: PriceTable, source: String?) {
        for path in paths {
            if let data = FileManager.default.contents(atPath: path), let table = try? decode(data, file: path) { return (table, path) }
        }
        return (PriceTable(models: [:], freeProviders: [ProviderCatalog.lexicalName]), nil)
    }

    /// Reads a price file (`{"models": {"name": {"input": x, "output": y}}}`) and lays it over
    /// the bundled table; without one, the bundled table.
    public static func load(overrides path: String?) throws(InputError) -> PriceTable {
        guard let path else { return bundled }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "no such price file")
        }
        let user = try decode(data, file: path)
        var table = bundled
        for (k, v) in user.models { table.models[k] = v }
        table.freeProviders.formUnion(user.freeProviders)
        for (k, v) in user.batchDiscounts { table.batchDiscounts[k] = v }
        return table
    }

    struct FileShape: Decodable {
        var models: [String: Price]
        var free_providers: [String]?
        var batch_discount: [String: Double]?
    }

    static func decode(_ data: Data, file: String) throws(InputError) -> PriceTable {
        do {
            let shape = try JSONDecoder().decode(FileShape.self, from: data)
            if let bad = shape.batch_discount?.first(where: { !(0...1).contains($0.value) }) {
                throw InputError(file: file, message: "batch_discount.\(bad.key) is \(bad.value): give the share taken off as a number from 0 to 1 (0.5 for half price)")
            }
            return PriceTable(models: shape.models, freeProviders: Set(shape.free_providers ?? []), batchDiscounts: shape.batch_discount ?? [:])
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(file: file, message: "expected {\"models\": {\"MODEL\": {\"input\": USD_PER_1M, \"output\": USD_PER_1M}}}: \(error)")
        }
    }

    /// Models this table knows for a provider, for pickers: hosted providers' priced models,
    /// matched by the names their vendors use.
    public func models(for provider: String) -> [String] {
        let prefixes: [String]
        switch provider {
        case "openai", "azure_openai": prefixes = ["gpt-", "o1", "o3", "o4"]
        case "anthropic": prefixes = ["claude-"]
        case "gemini": prefixes = ["gemini-"]
        case "deepseek": prefixes = ["deepseek-"]
        case "groq": prefixes = ["llama-"]
        case "xai": prefixes = ["grok-"]
        default: return []
        }
        return models.keys.filter { m in prefixes.contains { m.hasPrefix($0) } }.sorted()
    }

    /// The price for a provider's model: zero for local providers, nil when unknown.
    public func price(provider: String, model: String) -> Price? {
        if freeProviders.contains(provider) { return Price(input: 0, output: 0) }
        if let exact = models[model] { return exact }
        // Hosted names often carry a date or a vendor prefix.
        let bare = model.split(separator: "/").last.map(String.init) ?? model
        if let exact = models[bare] { return exact }
        return models.keys.filter { bare.hasPrefix($0) }.max { $0.count < $1.count }.flatMap { models[$0] }
    }
}
