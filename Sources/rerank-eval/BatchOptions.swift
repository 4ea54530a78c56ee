import ArgumentParser
import RerankKit

/// `--batch` and its settings, shared by `run` and `matrix`.
struct BatchOptions: ParsableArguments {
    @Flag(name: .long, help: "Send the calls through the provider's batch API (openai, azure_openai, anthropic): half the price, results within 24 hours. Only cache misses are sent; see `rerank-eval batches`.")
    var batch = false

    @Flag(name: .customLong("no-wait"), help: "With --batch: submit and exit; finish later with `rerank-eval batches collect` or `run --resume`.")
    var noWait = false

    @Option(name: .customLong("poll-interval"), help: ArgumentHelp("With --batch: seconds between polls of the provider.", valueName: "seconds"))
    var pollInterval: Double = 60

    @Option(name: .customLong("batch-max-requests"), help: ArgumentHelp("With --batch: at most this many requests per provider batch (default: the API's limit, 50,000 for OpenAI and Azure, 100,000 for Anthropic).", valueName: "n"))
    var maxRequests: Int?

    @Option(name: .customLong("batch-max-bytes"), help: ArgumentHelp("With --batch: at most this many bytes per provider batch (default: the API's limit, 200 MB for OpenAI and Azure, 256 MB for Anthropic).", valueName: "bytes"))
    var maxBytes: Int?

    func validate() throws {
        if !batch, noWait || maxRequests != nil || maxBytes != nil {
            throw ValidationError("--no-wait, --batch-max-requests and --batch-max-bytes go with --batch")
        }
        guard pollInterval > 0 else { throw ValidationError("--poll-interval must be positive") }
        if let maxRequests, maxRequests < 1 { throw ValidationError("--batch-max-requests must be at least 1") }
        if let maxBytes, maxBytes < 1 { throw ValidationError("--batch-max-bytes must be at least 1") }
    }

    /// The limits for `provider`: the API's own, lowered by the options.
    func limits(provider: String) -> BatchLimits {
        let base = BatchAPIFactory.defaultLimits(provider: provider)
        return BatchLimits(maxRequests: min(maxRequests ?? base.maxRequests, base.maxRequests), maxBytes: min(maxBytes ?? base.maxBytes, base.maxBytes))
    }
}
