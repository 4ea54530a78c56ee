import Foundation
import RerankKit
@testable import RerankCore
import RerankTestSupport
import Testing

/// Price lookups (exact name, vendor prefix, dated names by longest prefix, free providers,
/// unknown models) and the arithmetic of a price.
@Suite struct PriceTableTests {
    let table = PriceTable(models: [
        "gpt-4o": .init(input: 2.5, output: 10),
        "gpt-4o-mini": .init(input: 0.15, output: 0.6),
        "claude-3-5-haiku": .init(input: 0.8, output: 4),
    ], freeProviders: ["ollama"])

    @Test(arguments: [
        ("gpt-4o", 2.5), ("gpt-4o-mini", 0.15),
        // A dated name takes the longest listed prefix: mini, not gpt-4o.
        ("gpt-4o-mini-2024-07-18", 0.15), ("gpt-4o-2024-08-06", 2.5),
        // A vendor prefix is dropped before matching.
        ("openai/gpt-4o-mini", 0.15), ("openrouter/openai/gpt-4o-mini-2024-07-18", 0.15),
        ("claude-3-5-haiku-20241022", 0.8),
    ])
    func knownModels(model: String, input: Double) throws {
        let price = try #require(table.price(provider: "openai", model: model))
        #expect(price.input == input)
    }

    @Test(arguments: ["gpt-4", "llama3.1", "", "mini", "openai/"])
    func unknownModelsHaveNoPrice(model: String) {
        #expect(table.price(provider: "openai", model: model) == nil)
    }

    @Test func freeProvidersCostNothingWhateverTheModel() {
        #expect(table.price(provider: "ollama", model: "gpt-4o") == PriceTable.Price(input: 0, output: 0))
        #expect(table.price(provider: "ollama", model: "anything") == PriceTable.Price(input: 0, output: 0))
        #expect(table.price(provider: "vllm", model: "anything") == nil)
    }

    @Test func costIsTokensTimesPricePerMillion() {
        let mini = PriceTable.Price(input: 0.15, output: 0.6)
        // 1200 x 0.15 + 300 x 0.6 = 180 + 180 = 360 per million.
        #expect(abs(mini.cost(TokenUsage(promptTokens: 1200, completionTokens: 300)) - 0.000360) < 1e-15)
        #expect(mini.cost(TokenUsage()) == 0)
        #expect(PriceTable.Price(input: 2.5, output: 10).cost(TokenUsage(promptTokens: 1_000_000, completionTokens: 1_000_000)) == 12.5)
        #expect(TokenUsage(promptTokens: 3, completionTokens: 4) + TokenUsage(promptTokens: 10, completionTokens: 20) == TokenUsage(promptTokens: 13, completionTokens: 24))
    }

    @Test func pickerListsEachProvidersModelsSorted() {
        #expect(table.models(for: "openai") == ["gpt-4o", "gpt-4o-mini"])
        #expect(table.models(for: "azure_openai") == ["gpt-4o", "gpt-4o-mini"])
        #expect(table.models(for: "anthropic") == ["claude-3-5-haiku"])
        #expect(table.models(for: "ollama").isEmpty && table.models(for: "gemini").isEmpty)
    }

    @Test func bundledTableMatchesItsFile() {
        let bundled = PriceTable.bundled
        // Resources/prices.json: gpt-4o-mini at $0.15 / $0.60, and lexical among the free providers.
        #expect(bundled.price(provider: "openai", model: "gpt-4o-mini-2024-07-18") == PriceTable.Price(input: 0.15, output: 0.6))
        #expect(bundled.price(provider: "lexical", model: "bm25") == PriceTable.Price(input: 0, output: 0))
        #expect(bundled.price(provider: "openai", model: "no-such-model") == nil)
        #expect(!bundled.models(for: "openai").isEmpty)
    }

    @Test func overridesLayOverTheBundledTable() throws {
        let path = Fixtures.write(#"{"models": {"gpt-4o-mini": {"input": 1, "output": 2}, "my-model": {"input": 3, "output": 4}}, "free_providers": ["myserver"]}"#,
                                  name: "prices.json")
        let table = try PriceTable.load(overrides: path)
        #expect(table.price(provider: "openai", model: "gpt-4o-mini") == PriceTable.Price(input: 1, output: 2))
        #expect(table.price(provider: "openai", model: "my-model-v2") == PriceTable.Price(input: 3, output: 4))
        #expect(table.price(provider: "openai", model: "gpt-4o") == PriceTable.bundled.price(provider: "openai", model: "gpt-4o"))
        #expect(table.price(provider: "myserver", model: "x") == PriceTable.Price(input: 0, output: 0))
        #expect(table.price(provider: "lexical", model: "x") == PriceTable.Price(input: 0, output: 0))
    }

    @Test func aBadPriceFileIsNamedWithTheShapeExpected() {
        let missing = Fixtures.temporaryDirectory() + "/none.json"
        let none = #expect(throws: InputError.self) { try PriceTable.load(overrides: missing) }
        #expect(none?.issues.first?.file == missing && none?.issues.first?.message == "no such price file")
        let wrong = Fixtures.write(#"{"models": {"m": {"input": "cheap"}}}"#, name: "prices.json")
        let shape = #expect(throws: InputError.self) { try PriceTable.load(overrides: wrong) }
        #expect(shape?.issues.first?.message.hasPrefix(#"expected {"models": {"MODEL": {"input": USD_PER_1M"#) == true)
    }

    @Test func aBatchRunPaysThePriceLessTheProvidersBatchDiscount() throws {
        let bundled = PriceTable.bundled
        #expect(bundled.batchDiscounts == ["openai": 0.5, "azure_openai": 0.5, "anthropic": 0.5])
        #expect(bundled.forBatch(provider: "openai").price(provider: "openai", model: "gpt-4o-mini") == PriceTable.Price(input: 0.075, output: 0.3))
        #expect(bundled.forBatch(provider: "anthropic").price(provider: "anthropic", model: "claude-haiku-4-5") == PriceTable.Price(input: 0.5, output: 2.5))
        // A provider without a batch discount pays the table's prices.
        #expect(bundled.forBatch(provider: "groq").price(provider: "groq", model: "llama-3.1-8b-instant") == bundled.price(provider: "groq", model: "llama-3.1-8b-instant"))

        let path = Fixtures.write(#"{"models": {}, "batch_discount": {"openai": 0.25}}"#, name: "prices.json")
        let table = try PriceTable.load(overrides: path)
        #expect(table.batchDiscounts["openai"] == 0.25 && table.batchDiscounts["anthropic"] == 0.5)
        let bad = Fixtures.write(#"{"models": {}, "batch_discount": {"openai": 50}}"#, name: "prices.json")
        let error = #expect(throws: InputError.self) { try PriceTable.load(overrides: bad) }
        #expect(error?.issues.first?.message.contains("batch_discount.openai is 50.0") == true)
    }

    /// The shipped table is read from the resources folder or the source tree, never through
    /// `Bundle.module` (which stops the process when its folder is missing): a build finds it,
    /// and a place without it gives an empty table and no source instead of a crash.
    @Test func theShippedTableIsFoundAndItsAbsenceIsAnEmptyTable() throws {
        let source = try #require(PriceTable.bundledSource)
        #expect(source.hasSuffix("prices.json"))
        #expect(!PriceTable.bundled.models.isEmpty)
        let dir = Fixtures.temporaryDirectory()
        let garbage = Fixtures.write("not json", name: "prices.json", in: dir)
        let missing = PriceTable.loadShipped(from: [dir + "/nowhere/prices.json", garbage])
        #expect(missing.source == nil && missing.table.models.isEmpty)
        let found = PriceTable.loadShipped(from: [dir + "/nowhere/prices.json", source])
        #expect(found.source == source && found.table.models == PriceTable.bundled.models)
    }
}
