import NIOCore
import NIOHTTP1
import NIOPosix

/// HTTP/1.1 POSTs over plain TCP (`http://` base URLs: local vLLM, llama.cpp, Ollama, LM Studio)
/// on keep-alive connections that live on one event loop, the loop the runner's calls run on
/// (`HTTPExchange.callExecutor`).
///
/// Why not async-http-client for these: a scoring call to a local server is a small request and a
/// small reply, hundreds a second, and the general client's per-request machinery (a request
/// bag and its state machines, the connection pool's bookkeeping and idle timers, header
/// validation, the request head and body written and flushed separately, i.e. two sends and two
/// TCP segments per request) cost several times the socket work itself. Here a request is one
/// write of head and body, the reply is decoded by NIO's HTTP parser and collected whole.
/// `https://` URLs (every hosted API) still go through async-http-client, which brings TLS.
///
/// Not here: redirects (a POST answered with a 3xx is returned as it is and the caller reports
/// its status), proxies (the general client is not given one either), compression (replies are
/// asked for with `Accept-Encoding: identity`).
final class PlainHTTPClient: @unchecked Sendable {
    // @unchecked: `idle` is only touched on `loop` (asserted), everything else is immutable.

    /// Where a request goes, taken apart once per URL.
    struct Target: Hashable, Sendable {
        var host: String
        var port: Int
        /// Path and query, as the request line carries them.
        var uri: String
        /// The `Host` header's value.
        var authority: String
    }

    /// The reply as it arrived.
    struct Reply: Sendable {
        var head: HTTPResponseHead
        var body: ByteBuffer
    }

    /// Failures of the exchange itself (sockets and limits; HTTP statuses are replies).
    enum Failure: Error, Equatable, CustomStringConvertible {
        /// The server closed the connection before the reply was complete.
        case closedBeforeReply
        /// The reply body passed the limit.
        case replyTooLarge(limit: Int)
        /// The deadline passed before the reply was complete.
        case deadlineExceeded

        var description: String {
            switch self {
            case .closedBeforeReply: return "the server closed the connection before the reply was complete"
            case let .replyTooLarge(limit): return "reply body larger than \(limit) bytes"
            case .deadlineExceeded: return "no complete reply before the deadline"
            }
        }
    }

    let loop: any EventLoop
    let maxBody: Int
    let connectTimeout: TimeAmount
    /// Connections with no request in flight, by target host and port (on `loop` only).
    private var idle: [String: [any Channel]] = [:]

    init(loop: any EventLoop, maxBody: Int, connectTimeout: TimeAmount) {
        self.loop = loop
        self.maxBody = maxBody
        self.connectTimeout = connectTimeout
    }

    /// Splits an `http://` URL into what a request needs; nil for anything else.
    static func target(_ url: String) -> Target? {
        guard url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var uri = String(rest[authorityEnd...])
        if let fragment = uri.firstIndex(of: "#") { uri = String(uri[..<fragment]) }
        if uri.isEmpty || uri.hasPrefix("?") { uri = "/" + uri }
        var host = authority
        var port = 80
        if authority.hasPrefix("[") {
            // An IPv6 literal: [::1]:8000
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()) else { return nil }
                port = p
            } else if !after.isEmpty {
                return nil
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let p = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = p
        }
        guard !host.isEmpty, (1...65535).contains(port) else { return nil }
        return Target(host: host, port: port, uri: uri, authority: authority)
    }

    /// A request's bytes up to its `Content-Length` value (request line, `Host` and the given
    /// header fields), encoded once per URL and headers. Nil when a field name or value could
    /// break the request apart (a line break, a colon in a name).
    static func requestPrefix(_ target: Target, headers: [(String, String)]) -> [UInt8]? {
        var text = "POST \(target.uri) HTTP/1.1\r\nHost: \(target.authority)\r\n"
        for (name, value) in headers {
            let badName = name.isEmpty || name.utf8.contains { $0 <= 32 || $0 == UInt8(ascii: ":") || $0 >= 127 }
            let badValue = value.utf8.contains { $0 == 13 || $0 == 10 || $0 == 0 }
            guard !badName, !badValue, name.lowercased() != "host", name.lowercased() != "content-length" else { return nil }
            text += "\(name): \(value)\r\n"
        }
        guard !target.uri.utf8.contains(where: { $0 <= 32 || $0 >= 127 }) else { return nil }
        return Array((text + "Content-Length: ").utf8)
    }

    /// Sends one POST and waits for the whole reply. `prefix` is `requestPrefix`'s.
    func post(_ target: Target, prefix: [UInt8], body: [UInt8], deadline: NIODeadline) async throws -> Reply {
        // The whole request in one buffer: one write, one send, one TCP segment when it is small.
        let length = String(body.count)
        var bytes = ByteBufferAllocator().buffer(capacity: prefix.count + length.utf8.count + 4 + body.count)
        bytes.writeBytes(prefix)
        bytes.writeString(length)
        bytes.writeStaticString("\r\n\r\n")
        bytes.writeBytes(body)
        let request = bytes
        let exchange = Exchange(deadline: deadline)
        // The call waits on a continuation the exchange resumes itself: an event-loop promise and
        // its future's callback list per call cost more than the hand-over.
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                if loop.inEventLoop {
                    exchange.wait(continuation)
                    start(exchange, target: target, request: request)
                } else {
                    loop.execute {
                        exchange.wait(continuation)
                        self.start(exchange, target: target, request: request)
                    }
                }
            }
        } onCancel: {
            self.loop.execute { exchange.fail(CancellationError()) }
        }
    }

    /// One request: the waiting call, and once it has one, its connection (all on `loop` only).
    final class Exchange: @unchecked Sendable {
        let deadline: NIODeadline
        var channel: (any Channel)?
        /// The deadline's timer while a connection is being opened; once the request is on a
        /// connection, the connection's own timer watches it (`ReplyCollector`).
        var connectingTimer: Scheduled<Void>?
        private(set) var done = false
        private var continuation: UnsafeContinuation<Reply, any Error>?
        /// The outcome when it came before the call waited (a cancellation queued ahead of it).
        private var early: Result<Reply, any Error>?

        init(deadline: NIODeadline) {
            self.deadline = deadline
        }

        func wait(_ continuation: UnsafeContinuation<Reply, any Error>) {
            if let early {
                continuation.resume(with: early)
            } else {
                self.continuation = continuation
            }
        }

        func succeed(_ reply: Reply) {
            guard !done else { return }
            done = true
            resume(.success(reply))
        }

        /// Ends the exchange with an error, closing its connection (its state is unknown).
        func fail(_ error: any Error) {
            guard !done else { return }
            done = true
            connectingTimer?.cancel()
            channel?.close(promise: nil)
            resume(.failure(error))
        }

        private func resume(_ result: Result<Reply, any Error>) {
            if let continuation {
                self.continuation = nil
                continuation.resume(with: result)
            } else {
                early = result
            }
        }
    }

    private func start(_ exchange: Exchange, target: Target, request: ByteBuffer) {
        loop.preconditionInEventLoop()
        guard !exchange.done else { return }
        let key = "\(target.host):\(target.port)"
        if let channel = takeIdle(key) {
            send(exchange, request: request, on: channel, key: key)
            return
        }
        exchange.connectingTimer = loop.scheduleTask(deadline: exchange.deadline) { exchange.fail(Failure.deadlineExceeded) }
        ClientBootstrap(group: loop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture(withResultOf: {
                    let decoder = HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes)
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(ReplyDecoder(decoder)))
                    try channel.pipeline.syncOperations.addHandler(ReplyCollector(maxBody: self.maxBody, decoder: decoder, loop: channel.eventLoop))
                })
            }
            .connect(host: target.host, port: target.port)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case let .success(channel):
                    // When the connection goes away while idle, it must not be handed out again.
                    channel.closeFuture.assumeIsolated().whenComplete { _ in self.forget(channel, key: key) }
                    if exchange.done {
                        channel.close(promise: nil)
                    } else {
                        self.send(exchange, request: request, on: channel, key: key)
                    }
                case let .failure(error):
                    exchange.fail(error)
                }
            }
    }

    private func send(_ exchange: Exchange, request: ByteBuffer, on channel: any Channel, key: String) {
        guard !exchange.done else {
            park(channel, key: key)
            return
        }
        exchange.connectingTimer?.cancel()
        exchange.connectingTimer = nil
        exchange.channel = channel
        let collector: ReplyCollector
        do {
            collector = try channel.pipeline.syncOperations.handler(type: ReplyCollector.self)
        } catch {
            exchange.fail(error)
            return
        }
        collector.expect(deadline: exchange.deadline) { result in
            guard !exchange.done else { return }
            switch result {
            case let .success((reply, keepAlive)):
                if keepAlive { self.park(channel, key: key) } else { channel.close(promise: nil) }
                exchange.succeed(reply)
            case let .failure(error):
                exchange.fail(error)
            }
        }
        channel.writeAndFlush(request).assumeIsolated().whenFailure { error in exchange.fail(error) }
    }

    private func takeIdle(_ key: String) -> (any Channel)? {
        while let channel = idle[key]?.popLast() {
            if channel.isActive { return channel }
        }
        return nil
    }

    private func park(_ channel: any Channel, key: String) {
        loop.preconditionInEventLoop()
        guard channel.isActive else { return }
        idle[key, default: []].append(channel)
    }

    private func forget(_ channel: any Channel, key: String) {
        idle[key]?.removeAll { $0 === channel }
    }
}

/// NIO's HTTP response parser without its watch on outgoing writes: the requests go out as
/// bytes already encoded (`PlainHTTPClient.requestPrefix`), and `ReplyCollector` tells the
/// parser of each one itself (it needs the method to know whether a reply has a body).
private struct ReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = HTTPClientResponsePart

    let decoder: HTTPResponseDecoder

    init(_ decoder: HTTPResponseDecoder) {
        self.decoder = decoder
    }

    func decoderAdded(context: ChannelHandlerContext) { decoder.decoderAdded(context: context) }
    func decoderRemoved(context: ChannelHandlerContext) { decoder.decoderRemoved(context: context) }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        try decoder.decode(context: context, buffer: &buffer)
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decoder.decodeLast(context: context, buffer: &buffer, seenEOF: seenEOF)
    }
}

/// Collects one reply at a time on a connection and hands it to the waiting exchange, and
/// watches the waiting exchange's deadline.
///
/// One timer per connection rather than one per request: scheduling and cancelling a timer for
/// every call (a lock and the loop's timer heap each way) was a few percent of the client's CPU.
/// The timer is set for the deadline of the request that armed it; when it fires, the request
/// then waiting fails if its deadline has passed, and the timer is set again for it if not (a
/// later request of the same run has a later deadline). So a request fails at its own
/// deadline, as with a timer of its own, and a connection's timer fires about once a timeout.
private final class ReplyCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias Completion = (Result<(PlainHTTPClient.Reply, keepAlive: Bool), any Error>) -> Void

    /// What the parser is told each request was (it reads only the method).
    private static let postHead = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/")

    let maxBody: Int
    private let decoder: HTTPResponseDecoder
    private let loop: any EventLoop
    private var completion: Completion?
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()
    /// The waiting request's deadline.
    private var deadline = NIODeadline.distantFuture
    /// The connection's timer and when it fires.
    private var timer: Scheduled<Void>?
    private var timerDeadline = NIODeadline.distantFuture

    init(maxBody: Int, decoder: HTTPResponseDecoder, loop: any EventLoop) {
        self.maxBody = maxBody
        self.decoder = decoder
        self.loop = loop
    }

    /// Registers the waiting exchange; the request is written next.
    func expect(deadline: NIODeadline, _ completion: @escaping Completion) {
        self.completion = completion
        self.deadline = deadline
        head = nil
        body.clear()
        decoder.write(data: .head(Self.postHead))
        if timer == nil || deadline < timerDeadline { arm() }
    }

    /// Sets the timer for the waiting request's deadline.
    private func arm() {
        timer?.cancel()
        timerDeadline = deadline
        timer = loop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            guard completion != nil else { return }
            if NIODeadline.now() >= deadline {
                finish(.failure(PlainHTTPClient.Failure.deadlineExceeded))
            } else {
                arm()
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(h):
            head = h
        case var .body(part):
            if body.readableBytes + part.readableBytes > maxBody {
                finish(.failure(PlainHTTPClient.Failure.replyTooLarge(limit: maxBody)))
                context.close(promise: nil)
                return
            }
            body.writeBuffer(&part)
        case .end:
            guard let head else {
                finish(.failure(PlainHTTPClient.Failure.closedBeforeReply))
                context.close(promise: nil)
                return
            }
            // A reply nobody waits for (after a timeout) leaves the connection in an unknown
            // state; `finish` without a completion drops it, and the exchange closed it already.
            finish(.success((PlainHTTPClient.Reply(head: head, body: body), keepAlive: head.isKeepAlive)))
            self.head = nil
            body = ByteBuffer()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        finish(.failure(PlainHTTPClient.Failure.closedBeforeReply))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
        context.close(promise: nil)
    }

    private func finish(_ result: Result<(PlainHTTPClient.Reply, keepAlive: Bool), any Error>) {
        let completion = self.completion
        self.completion = nil
        completion?(result)
    }
}
