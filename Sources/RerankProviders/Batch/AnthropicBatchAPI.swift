import RerankCore

/// Anthropic's Message Batches (API reference, "Create a Message Batch" and following;
/// anthropic-sdk-typescript `resources/messages/batches.ts`):
/// - `POST {base}/v1/messages/batches` with `{requests: [{custom_id, params}]}`, `params` the
///   body of a Messages call;
/// - `GET {base}/v1/messages/batches/{id}`: `processing_status` (in_progress, canceling, ended),
///   `request_counts` {processing, succeeded, errored, canceled, expired}, `results_url`;
/// - `GET {base}/v1/messages/batches/{id}/results`: JSONL of `{custom_id, result: {type:
///   succeeded | errored | canceled | expired, message | error}}`, in any order;
/// - `POST {base}/v1/messages/batches/{id}/cancel`.
/// Headers `x-api-key` and `anthropic-version`, as for a Messages call. The results are read
/// from the batch's own path under the base URL rather than from `results_url`, so the key is
/// never sent to a host other than the one configured.
public struct AnthropicBatchAPI: BatchAPI {
    public let provider: AnthropicProvider
    public let limits: BatchLimits
    public var endpoint: ProviderEndpoint { provider.endpoint }

    public init(endpoint: ProviderEndpoint, limits: BatchLimits) {
        provider = AnthropicProvider(endpoint: endpoint)
        self.limits = limits
    }

    var batches: String { "\(endpoint.baseURL)/v1/messages/batches" }
    var redactor: SecretRedactor { endpoint.redactor }
    var keyVariable: String? { endpoint.preset.keyVariable }

    public func encode(_ request: BatchRequest) -> [UInt8] {
        JSONValue.object([("custom_id", .string(request.customID)), ("params", provider.body(request.request))]).serializedBytes()
    }

    /// `{"requests":[` and `]}`.
    public var overhead: Int { 15 }

    public func submit(_ encoded: [[UInt8]]) async throws(ProviderError) -> BatchStatus {
        var body = Array("{\"requests\":[".utf8)
        body.reserveCapacity(encoded.reduce(16) { $0 + $1.count + 1 })
        for (i, item) in encoded.enumerated() {
            if i > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: item)
        }
        body.append(contentsOf: Array("]}".utf8))
        let reply = try await BatchHTTP.send(.POST, url: batches, headers: provider.headers, body: body, redactor: redactor)
        guard (200..<300).contains(reply.status) else { throw BatchHTTP.failure(reply, what: "creating the message batch", keyVariable: keyVariable, redactor: redactor) }
        return try parseBatch(reply)
    }

    public func status(_ remoteID: String) async throws(ProviderError) -> BatchStatus {
        let reply = try await BatchHTTP.send(.GET, url: "\(batches)/\(remoteID)", headers: provider.headers, redactor: redactor)
        guard (200..<300).contains(reply.status) else { throw BatchHTTP.failure(reply, what: "message batch \(remoteID)", keyVariable: keyVariable, redactor: redactor) }
        return try parseBatch(reply)
    }

    public func cancel(_ remoteID: String) async throws(ProviderError) -> BatchStatus {
        let reply = try await BatchHTTP.send(.POST, url: "\(batches)/\(remoteID)/cancel", headers: provider.headers, redactor: redactor)
        guard (200..<300).contains(reply.status) else { throw BatchHTTP.failure(reply, what: "cancelling message batch \(remoteID)", keyVariable: keyVariable, redactor: redactor) }
        return try parseBatch(reply)
    }

    public func results(_ status: BatchStatus) async throws(ProviderError) -> [BatchItemResult] {
        let reply = try await BatchHTTP.send(.GET, url: "\(batches)/\(status.remoteID)/results", headers: provider.headers, redactor: redactor)
        guard (200..<300).contains(reply.status) else { throw BatchHTTP.failure(reply, what: "the results of message batch \(status.remoteID)", keyVariable: keyVariable, redactor: redactor) }
        var items: [BatchItemResult] = []
        for (n, line) in BatchHTTP.jsonLines(reply.body).enumerated() {
            guard let line, let id = line["custom_id"]?.stringValue, let type = line.at("result", "type")?.stringValue else {
                throw .malformedReply("line \(n + 1) of the results of message batch \(status.remoteID) is not a result with a custom_id")
            }
            switch type {
            case "succeeded":
                let message = line.at("result", "message")
                do {
                    items.append(BatchItemResult(customID: id, reply: try AnthropicProvider.parseReply(message, raw: message?.serialized() ?? "", redactor: redactor)))
                } catch {
                    items.append(BatchItemResult(customID: id, error: error.description))
                }
            case "errored":
                // `error` is an error response: {type: "error", error: {type, message}}.
                let error = line.at("result", "error")
                let inner = error?["error"] ?? error
                let kind = inner?["type"]?.stringValue ?? "error"
                items.append(BatchItemResult(customID: id, error: "errored: \(kind): \(redactor.redact(inner?["message"]?.stringValue ?? "no message"))"))
            default:
                items.append(BatchItemResult(customID: id, error: type))
            }
        }
        return items
    }

    func parseBatch(_ response: HTTPExchange.Response) throws(ProviderError) -> BatchStatus {
        guard let json = response.json, let id = json["id"]?.stringValue, let word = json["processing_status"]?.stringValue else {
            throw .malformedReply("not a message batch: \(redactor.redact(String(response.text.prefix(200))))")
        }
        let cancelAsked = json["cancel_initiated_at"].map { $0 != .null } ?? false
        let phase: BatchPhase
        switch word {
        case "ended": phase = cancelAsked ? .cancelled : .completed
        case "canceling": phase = .cancelling
        default: phase = .inProgress
        }
        func count(_ name: String) -> Int { json.at("request_counts", .key(name))?.intValue ?? 0 }
        let failed = count("errored") + count("canceled") + count("expired")
        return BatchStatus(remoteID: id, phase: phase, providerStatus: word,
                           counts: BatchCounts(total: count("processing") + count("succeeded") + failed, succeeded: count("succeeded"), failed: failed))
    }
}
