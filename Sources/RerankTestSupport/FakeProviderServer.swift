import Foundation
import Synchronization
import NIOCore
import NIOHTTP1
import NIOPosix
import RerankKit

/// A request as the fake server received it.
public struct RecordedRequest: Sendable {
    public var method: String
    public var uri: String
    public var headers: [(String, String)]
    public var body: String

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    public var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }

    /// The body parsed as JSON.
    public var json: JSONValue? { try? JSONParser.parse(body) }

    /// The messages of an OpenAI / Ollama / Anthropic body, system field included.
    public var messages: [ChatMessage] {
        guard let json else { return [] }
        var out: [ChatMessage] = []
        // The completions endpoint: one prompt, read as a single user message.
        if let prompt = json["prompt"]?.stringValue { return [.user(prompt)] }
        if let system = json["system"]?.stringValue { out.append(.system(system)) }
        if case let .some(.array(items)) = json["messages"] {
            for item in items {
                guard let role = item["role"]?.stringValue.flatMap(ChatMessage.Role.init(rawValue:)),
                      let content = item["content"]?.stringValue else { continue }
                out.append(ChatMessage(role: role, content: content))
            }
        }
        return out
    }

    /// The (query, document) of a system-mode user message `Query: q\n\nDocument: d` (on the
    /// completions endpoint, after the instructions the prompt starts with).
    public var pair: (query: String, document: String)? {
        guard let user = messages.last(where: { $0.role == .user })?.content,
              let start = user.hasPrefix("Query: ") ? user.startIndex..<user.index(user.startIndex, offsetBy: 7) : user.range(of: "\n\nQuery: "),
              let split = user.range(of: "\n\nDocument: ", range: start.upperBound..<user.endIndex) else { return nil }
        return (String(user[start.upperBound..<split.lowerBound]), String(user[split.upperBound...]))
    }
}

/// What the fake server does with one request.
public enum FakeReply: Sendable {
    /// Answer after `delay` seconds.
    case respond(status: Int, headers: [(String, String)], body: String, delay: Double)
    /// Close the connection without answering (a reset as the client sees it).
    case reset(delay: Double)

    public static func json(_ body: String, status: Int = 200, headers: [(String, String)] = [], delay: Double = 0) -> FakeReply {
        .respond(status: status, headers: [("Content-Type", "application/json")] + headers, body: body, delay: delay)
    }

    /// The same reply with its body cut in half: an HTTP 200 whose JSON ends early, as a proxy
    /// or an overloaded server sometimes sends.
    public static func truncated(_ reply: FakeReply) -> FakeReply {
        guard case let .respond(status, headers, body, delay) = reply else { return reply }
        return .respond(status: status, headers: headers, body: String(body.prefix(body.count / 2)), delay: delay)
    }

    /// A reply in the wire format the request's path implies.
    public static func text(_ text: String?, for request: RecordedRequest, finishReason: String = "stop",
                            promptTokens: Int = 20, completionTokens: Int = 3, logprobs: [TokenLogprob]? = nil, delay: Double = 0) -> FakeReply {
        let content = text.map(JSONText.quote) ?? "null"
        if request.path.hasSuffix("/v1/messages") {
            let stop = finishReason == "length" ? "max_tokens" : "end_turn"
            let blocks = text.map { "[{\"type\":\"text\",\"text\":\(JSONText.quote($0))}]" } ?? "[]"
            return .json("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":\(blocks),\"stop_reason\":\"\(stop)\",\"usage\":{\"input_tokens\":\(promptTokens),\"output_tokens\":\(completionTokens)}}", delay: delay)
        }
        if request.path.hasSuffix("/api/chat") {
            return .json("{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\(content)},\"done\":true,\"done_reason\":\"\(finishReason)\",\"prompt_eval_count\":\(promptTokens),\"eval_count\":\(completionTokens)}", delay: delay)
        }
        if request.path.hasSuffix("/completions"), !request.path.hasSuffix("/chat/completions") {
            // OpenAI's completions shape, with logprobs as parallel arrays (vLLM answers so too).
            var legacy = ""
            if let logprobs {
                let tokens = logprobs.map { JSONText.quote($0.token) }.joined(separator: ",")
                let values = logprobs.map { "\($0.logprob)" }.joined(separator: ",")
                let tops = logprobs.map { t in "{" + t.top.map { "\(JSONText.quote($0.token)):\($0.logprob)" }.joined(separator: ",") + "}" }.joined(separator: ",")
                legacy = ",\"logprobs\":{\"tokens\":[\(tokens)],\"token_logprobs\":[\(values)],\"top_logprobs\":[\(tops)],\"text_offset\":[]}"
            }
            return .json("{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\(content),\"finish_reason\":\"\(finishReason)\"\(legacy)}],\"usage\":{\"prompt_tokens\":\(promptTokens),\"completion_tokens\":\(completionTokens),\"total_tokens\":\(promptTokens + completionTokens)}}", delay: delay)
        }
        var lp = ""
        if let logprobs {
            let items = logprobs.map { t in
                "{\"token\":\(JSONText.quote(t.token)),\"logprob\":\(t.logprob),\"top_logprobs\":[" +
                    t.top.map { "{\"token\":\(JSONText.quote($0.token)),\"logprob\":\($0.logprob)}" }.joined(separator: ",") + "]}"
            }
            lp = ",\"logprobs\":{\"content\":[\(items.joined(separator: ","))]}"
        }
        return .json("{\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\(content)},\"finish_reason\":\"\(finishReason)\"\(lp)}],\"usage\":{\"prompt_tokens\":\(promptTokens),\"completion_tokens\":\(completionTokens),\"total_tokens\":\(promptTokens + completionTokens)}}", delay: delay)
    }

    /// An error in the wire format the request's path implies.
    public static func error(_ status: Int, _ message: String, for request: RecordedRequest, headers: [(String, String)] = [], delay: Double = 0) -> FakeReply {
        if request.path.hasSuffix("/api/chat") {
            return .json("{\"error\":\(JSONText.quote(message))}", status: status, headers: headers, delay: delay)
        }
        if request.path.hasSuffix("/v1/messages") {
            return .json("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\(JSONText.quote(message))}}", status: status, headers: headers, delay: delay)
        }
        return .json("{\"error\":{\"message\":\(JSONText.quote(message)),\"type\":\"invalid_request_error\"}}", status: status, headers: headers, delay: delay)
    }
}

/// A loopback HTTP server that speaks the providers' APIs, for tests: it records every request
/// and answers with what the responder says, faults included.
public final class FakeProviderServer: Sendable {
    /// Called on the server's event loop, never on Swift's task pool: tests that keep the pool
    /// busy (2 threads on these machines) must not be able to starve the fake network.
    public typealias Responder = @Sendable (RecordedRequest, Int) -> FakeReply

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let log: RequestLog
    public let port: Int

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts listening on a free loopback port. The responder gets each request and its
    /// 0-based arrival number.
    public init(responder: @escaping Responder) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let log = RequestLog()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                log.track(channel)
                return channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(FakeHandler(responder: responder, log: log))
                }
            }
        self.channel = try bootstrap.bind(host: "127.0.0.1", port: 0).wait()
        self.group = group
        self.log = log
        self.port = channel.localAddress?.port ?? 0
    }

    /// Every request received so far, in arrival order.
    public var requests: [RecordedRequest] { log.all }

    /// The most requests that were waiting for their reply at the same time.
    public var peakInFlight: Int { log.peak }

    /// When a client closed a connection whose request was still waiting for its reply, in
    /// order: recorded on the server's event loop, so it says when the client let go even when
    /// the test's own tasks are kept waiting for a thread.
    public var hangUps: [Date] { log.hangUpTimes }

    private let stopped = Mutex(false)

    /// Closes the server; later calls do nothing (a test may stop it early and again on exit).
    public func stop() {
        let first = stopped.withLock { wasStopped in
            defer { wasStopped = true }
            return !wasStopped
        }
        guard first else { return }
        // Without blocking the caller (often a test's `defer` on Swift's 2-thread task pool): a
        // graceful shutdown waits for every pending reply, and some are held for minutes on purpose.
        for connection in log.connections { connection.close(promise: nil) }
        channel.close(promise: nil)
        let group = self.group
        DispatchQueue.global().async { try? group.syncShutdownGracefully() }
    }
}

final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [RecordedRequest] = []
    private var accepted: [any Channel] = []

    /// Accepted connections, closed outright by `FakeProviderServer.stop()`.
    func track(_ channel: any Channel) {
        lock.lock()
        defer { lock.unlock() }
        accepted.append(channel)
    }

    var connections: [any Channel] {
        lock.lock()
        defer { lock.unlock() }
        return accepted
    }
    private var inFlight = 0
    private var maxInFlight = 0

    func append(_ r: RecordedRequest) -> Int {
        lock.lock()
        defer { lock.unlock() }
        items.append(r)
        inFlight += 1
        maxInFlight = max(maxInFlight, inFlight)
        return items.count - 1
    }

    func answered() {
        lock.lock()
        inFlight -= 1
        lock.unlock()
    }

    private var hangUpList: [Date] = []

    /// A connection closed with its request unanswered (the reply that was due is not sent).
    func hungUp() {
        lock.lock()
        inFlight -= 1
        hangUpList.append(Date())
        lock.unlock()
    }

    var hangUpTimes: [Date] {
        lock.lock()
        defer { lock.unlock() }
        return hangUpList
    }

    var peak: Int {
        lock.lock()
        defer { lock.unlock() }
        return maxInFlight
    }

    var all: [RecordedRequest] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}

private final class FakeHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let responder: FakeProviderServer.Responder
    private let log: RequestLog
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    /// Requests on this connection not answered yet (on the channel's event loop only).
    private let pending = PendingReplies()

    init(responder: @escaping FakeProviderServer.Responder, log: RequestLog) {
        self.responder = responder
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(h):
            head = h
            body.clear()
        case var .body(buffer):
            body.writeBuffer(&buffer)
        case .end:
            guard let head else { return }
            let request = RecordedRequest(method: head.method.rawValue, uri: head.uri,
                                          headers: head.headers.map { ($0.name, $0.value) },
                                          body: String(buffer: body))
            let index = log.append(request)
            let keepAlive = head.isKeepAlive
            let reply = responder(request, index)
            let delay: Double
            switch reply {
            case let .respond(_, _, _, d): delay = d
            case let .reset(d): delay = d
            }
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            let log = self.log
            let pending = self.pending
            pending.count += 1
            let send: @Sendable () -> Void = {
                let context = bound.value
                // The client hung up already (`channelInactive` counted it).
                guard context.channel.isActive else { return }
                pending.count -= 1
                log.answered()
                switch reply {
                case .reset:
                    context.close(promise: nil)
                case let .respond(status, headers, text, _):
                    var h = HTTPHeaders(headers)
                    h.replaceOrAdd(name: "Content-Length", value: String(text.utf8.count))
                    if !keepAlive { h.replaceOrAdd(name: "Connection", value: "close") }
                    let responseHead = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: h)
                    context.write(NIOAny(HTTPServerResponsePart.head(responseHead)), promise: nil)
                    context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
                    context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).whenComplete { _ in
                        if !keepAlive { bound.value.close(promise: nil) }
                    }
                }
            }
            if delay > 0 {
                context.eventLoop.scheduleTask(in: .nanoseconds(Int64(delay * 1e9)), send)
            } else {
                send()
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        for _ in 0..<pending.count { log.hungUp() }
        pending.count = 0
        context.fireChannelInactive()
    }
}

/// How many requests on one connection wait for their reply; touched on the connection's event
/// loop only (reads, scheduled replies and the close all run there).
private final class PendingReplies: @unchecked Sendable {
    var count = 0
}
