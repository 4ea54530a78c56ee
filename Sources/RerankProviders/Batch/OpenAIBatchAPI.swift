import RerankCore
import Foundation

/// OpenAI's Batch API, and Azure OpenAI's global batch (the same shape under the resource).
///
/// The calls, as OpenAI's API reference and openai-python (`resources/files.py`,
/// `resources/batches.py`) make them:
/// - `POST {base}/files`, multipart with `purpose=batch` and the JSONL as `file`; each line is
///   `{custom_id, method: "POST", url: "/v1/chat/completions", body}`;
/// - `POST {base}/batches` with `{input_file_id, endpoint, completion_window: "24h"}`;
/// - `GET {base}/batches/{id}` (`status`, `request_counts` {total, completed, failed},
///   `output_file_id`, `error_file_id`, `errors`), `POST {base}/batches/{id}/cancel`;
/// - `GET {base}/files/{id}/content`: one line per request, `{id, custom_id, response:
///   {status_code, request_id, body}, error: {code, message} | null}`.
///
/// Azure OpenAI (learn.microsoft.com, "Getting started with Azure OpenAI batch deployments",
/// REST): the same paths under `{resource}/openai/` with `?api-version=` (2024-10-21 is the GA
/// data-plane version with files and batches), the `api-key` header, `endpoint` and each line's
/// `url` `/chat/completions`, and the line's `body.model` the global-batch deployment's name.
public struct OpenAIBatchAPI: BatchAPI {
    public let provider: OpenAIChatProvider
    public let limits: BatchLimits
    public var endpoint: ProviderEndpoint { provider.endpoint }
    var isAzure: Bool { endpoint.preset.wire == .azureOpenAI }

    public init(endpoint: ProviderEndpoint, limits: BatchLimits) {
        provider = OpenAIChatProvider(endpoint: endpoint)
        self.limits = limits
    }

    func url(_ path: String) -> String {
        if isAzure { return "\(endpoint.baseURL)/openai/\(path)?api-version=\(endpoint.azureAPIVersion ?? "2024-10-21")" }
        return "\(endpoint.baseURL)/\(path)"
    }

    /// The endpoint every line of the batch calls.
    var lineURL: String {
        let route = endpoint.route == .completions ? "/completions" : "/chat/completions"
        return isAzure ? route : "/v1" + route
    }

    public func encode(_ request: BatchRequest) -> [UInt8] {
        var body = provider.body(request.request)
        if isAzure, case let .object(fields) = body {
            // A live Azure call names the deployment in its URL; a batch line names it here.
            let deployment = endpoint.azureDeployment ?? request.request.model
            body = .object(fields.map { $0.0 == "model" ? ("model", .string(deployment)) : $0 })
        }
        let line: JSONValue = .object([("custom_id", .string(request.customID)), ("method", .string("POST")),
                                       ("url", .string(lineURL)), ("body", body)])
        return line.serializedBytes()
    }

    /// The JSONL's newlines are counted with each request.
    public var overhead: Int { 0 }

    var redactor: SecretRedactor { endpoint.redactor }
    var keyVariable: String? { endpoint.preset.keyVariable }

    public func submit(_ encoded: [[UInt8]]) async throws(ProviderError) -> BatchStatus {
        var file: [UInt8] = []
        file.reserveCapacity(encoded.reduce(0) { $0 + $1.count + 1 })
        for line in encoded {
            file.append(contentsOf: line)
            file.append(UInt8(ascii: "\n"))
        }
        let boundary = "rerankbench-" + UUID().uuidString
        let body = BatchHTTP.multipart(fields: [("purpose", "batch")], fileField: "file", fileName: "rerankbench-batch.jsonl",
                                       fileType: "application/jsonl", file: file, boundary: boundary)
        let upload = try await BatchHTTP.send(.POST, url: url("files"), headers: provider.headers, body: body,
                                              contentType: "multipart/form-data; boundary=\(boundary)", redactor: redactor)
        guard (200..<300).contains(upload.status) else { throw BatchHTTP.failure(upload, what: "the file upload", keyVariable: keyVariable, redactor: redactor) }
        guard let fileID = upload.json?["id"]?.stringValue else {
            throw .malformedReply("the file upload's reply has no id: \(redactor.redact(String(upload.text.prefix(200))))")
        }
        if isAzure { try await waitUntilProcessed(fileID, status: upload.json?["status"]?.stringValue) }
        let create: JSONValue = .object([("input_file_id", .string(fileID)), ("endpoint", .string(lineURL)),
                                         ("completion_window", .string("24h"))])
        let created = try await BatchHTTP.send(.POST, url: url("batches"), headers: provider.headers, body: create.serializedBytes(), redactor: redactor)
        guard (200..<300).contains(created.status) else { throw BatchHTTP.failure(created, what: "creating the batch", keyVariable: keyVariable, redactor: redactor) }
        return try parseBatch(created)
    }

    /// Azure reads an uploaded file before a batch may use it (the file's `status` goes from
    /// `pending` or `uploaded` to `processed`, or `error`).
    func waitUntilProcessed(_ fileID: String, status first: String?) async throws(ProviderError) {
        var status = first
        for _ in 0..<120 {
            if status == nil || status == "processed" { return }
            if status == "error" || status == "deleted" { throw .configuration("Azure OpenAI could not read the uploaded batch file \(fileID) (status \(status!))") }
            do { try await Task.sleep(nanoseconds: 1_000_000_000) } catch { throw .cancelled }
            let reply = try await BatchHTTP.send(.GET, url: url("files/\(fileID)"), headers: provider.headers, redactor: redactor)
            guard (200..<300).contains(reply.status) else { throw BatchHTTP.failure(reply, what: "the uploaded file", keyVariable: keyVariable, redactor: redactor) }
            status = reply.json?["status"]?.stringValue
        }
        throw .timeout(seconds: 120)
    }

    public func status(_ remoteID: String) async throws(ProviderError) -> BatchStatus {
        let reply = try await BatchHTTP.send(.GET, url: url("batches/\(remoteID)"), headers: provider.headers, redactor: redactor)
        guard (200..<300).contains(reply.status) else { throw BatchHTTP.failure(reply, what: "batch \(remoteID)", keyVariable: keyVariable, redactor: redactor) }
        return try parseBatch(reply)
    }

    public func cancel(_ remoteID: String) async throws(ProviderError) -> BatchStatus {
        let reply = try await BatchHTTP.send(.POST, url: url("batches/\(remoteID)/cancel"), headers: provider.headers, body: Array("{}".utf8), redactor: redactor)
        guard (200..<300).contains(reply.status) else { throw BatchHTTP.failure(reply, what: "cancelling batch \(remoteID)", keyVariable: keyVariable, redactor: redactor) }
        return try parseBatch(reply)
    }

    public func results(_ status: BatchStatus) async throws(ProviderError) -> [BatchItemResult] {
        var items: [BatchItemResult] = []
        for fileID in [status.outputFileID, status.errorFileID].compactMap({ $0 }) where !fileID.isEmpty {
            let reply = try await BatchHTTP.send(.GET, url: url("files/\(fileID)/content"), headers: provider.headers, redactor: redactor)
            guard (200..<300).contains(reply.status) else { throw BatchHTTP.failure(reply, what: "the results file \(fileID)", keyVariable: keyVariable, redactor: redactor) }
            for (n, line) in BatchHTTP.jsonLines(reply.body).enumerated() {
                guard let line, let id = line["custom_id"]?.stringValue else {
                    throw .malformedReply("line \(n + 1) of the results file \(fileID) is not a result with a custom_id")
                }
                items.append(item(id, line))
            }
        }
        return items
    }

    /// One line of an output or error file.
    func item(_ id: String, _ line: JSONValue) -> BatchItemResult {
        if let code = line.at("response", "status_code")?.intValue {
            let body = line.at("response", "body")
            guard (200..<300).contains(code) else {
                let message = body?.at("error", "message")?.stringValue ?? body.map { $0.serialized() } ?? "no body"
                return BatchItemResult(customID: id, error: "HTTP \(code): \(redactor.redact(message))")
            }
            do {
                return BatchItemResult(customID: id, reply: try OpenAIChatProvider.parseReply(body, raw: body?.serialized() ?? "", redactor: redactor))
            } catch {
                return BatchItemResult(customID: id, error: error.description)
            }
        }
        let code = line.at("error", "code")?.stringValue ?? "error"
        let message = line.at("error", "message")?.stringValue ?? "no reply"
        return BatchItemResult(customID: id, error: "\(code): \(redactor.redact(message))")
    }

    func parseBatch(_ response: HTTPExchange.Response) throws(ProviderError) -> BatchStatus {
        guard let json = response.json, let id = json["id"]?.stringValue, let word = json["status"]?.stringValue else {
            throw .malformedReply("not a batch object: \(redactor.redact(String(response.text.prefix(200))))")
        }
        var message: String?
        if case let .some(.array(errors)) = json.at("errors", "data"), !errors.isEmpty {
            message = errors.prefix(3).map { e in
                let line = e["line"]?.intValue.map { " (line \($0))" } ?? ""
                return (e["code"]?.stringValue.map { "\($0): " } ?? "") + (e["message"]?.stringValue ?? "") + line
            }.joined(separator: "; ")
        }
        return BatchStatus(remoteID: id, phase: BatchPhase(openAIStatus: word) ?? .inProgress, providerStatus: word,
                           counts: BatchCounts(total: json.at("request_counts", "total")?.intValue ?? 0,
                                               succeeded: json.at("request_counts", "completed")?.intValue ?? 0,
                                               failed: json.at("request_counts", "failed")?.intValue ?? 0),
                           inputFileID: json["input_file_id"]?.stringValue, outputFileID: json["output_file_id"]?.stringValue,
                           errorFileID: json["error_file_id"]?.stringValue, message: message.map(redactor.redact))
    }
}
