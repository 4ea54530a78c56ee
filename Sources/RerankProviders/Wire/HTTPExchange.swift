import RerankCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// One JSON POST over HTTP(S) with errors mapped to `ProviderError`.
///
/// A single process-wide client with a large per-host connection pool: the runner decides how
/// many calls are in flight, so the pool must never be the bottleneck (async-http-client's
/// default of 8 connections per host would cap concurrency silently).
enum HTTPExchange {
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        // Fail a refused connection at once; the runner retries with backoff and can stop a
        // run whose server is not there, instead of every call waiting out the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        // Scoring replies are a few hundred bytes: asking for gzip costs more CPU per call (the
        // decompressor's work on every request and reply) than it saves on the wire. Without
        // `Accept-Encoding: identity` (sent with every request) servers answer uncompressed.
        configuration.decompression = .disabled
        // The default is the process's bootstrapped tracer (a no-op one here), which still
        // makes a span and parses the URL again for every request: about 5% of the client's CPU.
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// The event loop scoring calls run on: one of the client's loops, the same for every call,
    /// so the connections they open live on it too (the pool opens a connection on the loop it
    /// is asked from) and a call's steps never change threads.
    static let callLoop: any EventLoop = client.eventLoopGroup.next()

    /// Where scoring calls run (`ChatProvider.callExecutor`).
    @available(macOS 15.0, *)
    static let callExecutor = EventLoopTaskExecutor(callLoop)

    /// Scoring calls to `http://` URLs (local servers), on the calls' loop.
    static let plainClient = PlainHTTPClient(loop: callLoop, maxBody: maxBody, connectTimeout: .seconds(10))

    struct Response {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
        var json: JSONValue?
        /// The body as text, made only when a message needs it (most replies parse as JSON).
        var text: String { String(buffer: body) }
    }

    /// The largest reply body read; scoring replies are tiny, an error page may not be.
    static let maxBody = 8 << 20

    /// POSTs `body` as compact JSON.
    static func post(url: String, headers: [(String, String)], body: JSONValue, timeout: Double?,
                     redactor: SecretRedactor) async throws(ProviderError) -> Response {
        try await post(url: url, headers: headers, body: body.serializedBytes(), timeout: timeout, redactor: redactor)
    }

    /// POSTs `body`, JSON text already encoded (a provider that writes its body straight to bytes).
    ///
    /// `http://` URLs go through `PlainHTTPClient` (one send per request, no per-request pool
    /// machinery); others through async-http-client's event-loop-future API rather than its
    /// async one: the async `execute` starts an unstructured task per request (to register the
    /// request with a cancellation actor), which wakes a thread of Swift's global pool for every
    /// call even when the call itself runs on the event loop (`callExecutor`).
    static func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Double?,
                     redactor: SecretRedactor) async throws(ProviderError) -> Response {
        let seconds = timeout ?? 600
        do {
            let template = try requestTemplate(url: url, headers: headers)
            let deadline = NIODeadline.now() + .milliseconds(Int64(seconds * 1000))
            let status: HTTPResponseStatus, replyHeaders: HTTPHeaders, buffer: ByteBuffer
            if let target = template.target, let prefix = template.plainPrefix {
                let reply = try await plainClient.post(target, prefix: prefix, body: body, deadline: deadline)
                (status, replyHeaders, buffer) = (reply.head.status, reply.head.headers, reply.body)
            } else {
                var request = template.request!
                request.body = .byteBuffer(ByteBuffer(bytes: body))
                let task = client.execute(request: request, delegate: ResponseAccumulator(request: request, maxBodySize: maxBody),
                                          eventLoop: .indifferent, deadline: deadline)
                let response = try await withTaskCancellationHandler {
                    try await task.futureResult.get()
                } onCancel: {
                    task.cancel()
                }
                (status, replyHeaders, buffer) = (response.status, response.headers, response.body ?? ByteBuffer())
            }
            if let coding = replyHeaders.first(name: "content-encoding"), coding.lowercased() != "identity" {
                throw ProviderError.malformedReply("the server sent a \(coding)-encoded reply although the request asked for none (Accept-Encoding: identity); a proxy in between may be compressing it")
            }
            let json = try? JSONParser.parse(Array(buffer.readableBytesView))
            return Response(status: Int(status.code), headers: replyHeaders, body: buffer, json: json)
        } catch {
            throw providerError(error, url: url, seconds: seconds, maxBody: maxBody, redactor: redactor)
        }
    }

    /// What every call to one URL with the same headers shares: the header fields, and either
    /// the plain-HTTP target or async-http-client's request without a body.
    private struct RequestTemplate: Sendable {
        var url: String
        var headers: [(String, String)]
        var fields: HTTPHeaders
        var target: PlainHTTPClient.Target?
        /// The plain-HTTP request's bytes before its length.
        var plainPrefix: [UInt8]?
        var request: HTTPClient.Request?
    }

    /// The template of the last URL and headers posted to: parsing the URL and building the
    /// headers again for every call of a run was a few percent of the client's CPU.
    private static let lastTemplate = Mutex<RequestTemplate?>(nil)

    private static func requestTemplate(url: String, headers: [(String, String)]) throws -> RequestTemplate {
        if let last = lastTemplate.withLock({ $0 }), last.url == url, last.headers.elementsEqual(headers, by: { $0 == $1 }) {
            return last
        }
        var fields = HTTPHeaders()
        fields.add(name: "Content-Type", value: "application/json")
        fields.add(name: "Accept", value: "application/json")
        fields.add(name: "User-Agent", value: "RerankBench/0.1")
        // A request with no Accept-Encoding lets a server pick any coding (RFC 9110 12.5.3),
        // and replies are not decompressed here.
        fields.add(name: "Accept-Encoding", value: "identity")
        for (name, value) in headers { fields.add(name: name, value: value) }
        // A URL or header the plain client cannot write safely goes through the general one
        // (which checks and reports it).
        let target = PlainHTTPClient.target(url)
        let prefix = target.flatMap { PlainHTTPClient.requestPrefix($0, headers: fields.map { ($0.name, $0.value) }) }
        let request = prefix == nil ? try HTTPClient.Request(url: url, method: .POST, headers: fields) : nil
        let template = RequestTemplate(url: url, headers: headers, fields: fields, target: target, plainPrefix: prefix, request: request)
        lastTemplate.withLock { $0 = template }
        return template
    }

    /// What went wrong in an exchange, as the runner's typed error.
    static func providerError(_ error: any Error, url: String, seconds: Double, maxBody: Int, redactor: SecretRedactor) -> ProviderError {
        switch error {
        case let error as ProviderError:
            return error
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return .timeout(seconds: seconds)
            case .cancelled: return .cancelled
            default: return .connection(describe(error, url: url, redactor: redactor))
            }
        case is CancellationError:
            return .cancelled
        case let error as NIOTooManyBytesError:
            return .malformedReply("reply body larger than \(maxBody) bytes (\(error))")
        case let error as ResponseAccumulator.ResponseTooBigError:
            return .malformedReply("reply body larger than \(maxBody) bytes (\(error))")
        case let error as PlainHTTPClient.Failure:
            switch error {
            case .deadlineExceeded: return .timeout(seconds: seconds)
            case .replyTooLarge: return .malformedReply(error.description)
            case .closedBeforeReply: return .connection("\(hostAndPort(url)) closed the connection without answering")
            }
        case let error as ChannelError:
            if case .connectTimeout = error { return .timeout(seconds: seconds) }
            return .connection(describe(error, url: url, redactor: redactor))
        default:
            return Task.isCancelled ? .cancelled : .connection(describe(error, url: url, redactor: redactor))
        }
    }

    /// A GET's status code, or nil when nothing answered within `timeout` (health checks).
    static func status(ofGet url: String, timeout: Double) async -> Int? {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        guard let response = try? await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000))) else { return nil }
        _ = try? await response.body.collect(upTo: 1 << 16)
        return Int(response.status.code)
    }

    /// NIO's socket errors are precise but hard to read; name the common ones plainly.
    static func describe(_ error: any Error, url: String, redactor: SecretRedactor) -> String {
        let text = "\(error)"
        let host = hostAndPort(url)
        if text.contains("Connection refused") { return "connection refused by \(host)" }
        if text.contains("Connection reset") { return "connection reset by \(host)" }
        if text.contains("remoteConnectionClosed") { return "\(host) closed the connection without answering" }
        if text.contains("Name or service not known") || text.contains("NXDOMAIN") { return "cannot resolve \(host)" }
        return redactor.redact(text)
    }

    /// `host:port` of a URL, for messages.
    static func hostAndPort(_ url: String) -> String {
        URLComponents(string: url).map { "\($0.host ?? "?"):\($0.port.map(String.init) ?? ($0.scheme == "https" ? "443" : "80"))" } ?? url
    }

    /// Seconds to wait from a `Retry-After` (seconds or HTTP date) or `retry-after-ms` header.
    static func retryAfter(_ headers: HTTPHeaders) -> Double? {
        if let ms = headers.first(name: "retry-after-ms"), let v = Double(ms) { return v / 1000 }
        guard let value = headers.first(name: "retry-after") else { return nil }
        if let seconds = Double(value.trimmingCharacters(in: .whitespaces)) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: value) { return max(0, date.timeIntervalSinceNow) }
        return nil
    }

    /// Turns a non-2xx reply into a typed error carrying the provider's own message.
    static func error(for response: Response, model: String, request: ChatRequest, keyVariable: String?,
                      redactor: SecretRedactor, message: String?) -> ProviderError {
        let text = redactor.redact(message ?? String(response.text.prefix(300)))
        switch response.status {
        case 401, 403:
            let hint = keyVariable.map { " Check \($0) (or the API key given for the run)." } ?? ""
            return .configuration("the server rejected the credentials (HTTP \(response.status)): \(text).\(hint)")
        case 404:
            return .configuration("not found (HTTP 404): \(text). Check the model name '\(model)' and the base URL.")
        case 400, 422:
            if let explained = unsupportedParameter(text, model: model, request: request) { return .configuration(explained) }
            return .http(status: response.status, message: text, retryAfter: nil)
        default:
            return .http(status: response.status, message: text, retryAfter: retryAfter(response.headers))
        }
    }

    /// A 400 about a parameter the model does not take, turned into a configuration error naming it.
    static func unsupportedParameter(_ message: String, model: String, request: ChatRequest) -> String? {
        let lower = message.lowercased()
        let markers = ["unsupported parameter", "unsupported value", "does not support", "not supported", "unsupported_parameter", "unsupported_value"]
        guard markers.contains(where: { lower.contains($0) }) else { return nil }
        if lower.contains("temperature") {
            let t = request.temperature.map { "temperature \($0.formatted(decimals: 1))" } ?? "temperature"
            return "\(model) rejects \(t): \(message). Set temperature to 1 (or leave it out with a reasoning model)."
        }
        if lower.contains("max_tokens") {
            return "\(model) rejects max_tokens: \(message). This model expects max_completion_tokens (mem0 sends that for gpt-5* names); set is_reasoning_model or use a matching model name."
        }
        if lower.contains("logprobs") {
            return "\(model) does not return logprobs: \(message). Use a text parser instead of the logprob parser."
        }
        return "\(model) rejects a parameter: \(message)"
    }
}
