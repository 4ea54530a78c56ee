import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import RerankProviders
import RerankKit
import RerankTestSupport

/// The plain-HTTP client against a server that answers with bytes written by hand: reply
/// framings the fake provider server never uses (chunked, closed by the server, no length).
@Suite struct PlainHTTPClientTests {
    @Test func urlsAreTakenApartOrLeftToTheGeneralClient() throws {
        let t = try #require(PlainHTTPClient.target("http://127.0.0.1:8000/v1/chat/completions"))
        #expect(t == PlainHTTPClient.Target(host: "127.0.0.1", port: 8000, uri: "/v1/chat/completions", authority: "127.0.0.1:8000"))
        #expect(PlainHTTPClient.target("http://localhost/v1")?.port == 80)
        #expect(PlainHTTPClient.target("http://localhost")?.uri == "/")
        #expect(PlainHTTPClient.target("http://h:1/x?api-version=1#frag")?.uri == "/x?api-version=1")
        let v6 = try #require(PlainHTTPClient.target("http://[::1]:9000/a"))
        #expect(v6.host == "::1" && v6.port == 9000 && v6.authority == "[::1]:9000")
        #expect(PlainHTTPClient.target("https://api.openai.com/v1") == nil)
        #expect(PlainHTTPClient.target("http://user:pw@host/v1") == nil)
        #expect(PlainHTTPClient.target("http://host:99999/v1") == nil)
        #expect(PlainHTTPClient.target("http://host:x/v1") == nil)
    }

    @Test func headersThatWouldSplitTheRequestAreRefused() throws {
        let t = try #require(PlainHTTPClient.target("http://127.0.0.1:1/v1"))
        let ok = try #require(PlainHTTPClient.requestPrefix(t, headers: [("Authorization", "Bearer k")]))
        #expect(String(decoding: ok, as: UTF8.self) == "POST /v1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\nAuthorization: Bearer k\r\nContent-Length: ")
        #expect(PlainHTTPClient.requestPrefix(t, headers: [("Authorization", "Bearer k\r\nX-Evil: 1")]) == nil)
        #expect(PlainHTTPClient.requestPrefix(t, headers: [("Bad Name", "v")]) == nil)
        #expect(PlainHTTPClient.requestPrefix(t, headers: [("Content-Length", "3")]) == nil)
    }

    @Test(arguments: [
        // Chunked, as Go's net/http sends a body it could not size in advance.
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n3\r\n 1}\r\n0\r\n\r\n", false),
        // Sized, and the server closes after it.
        ("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\n{\"a\": 1}", true),
        // No length at all: the body ends when the server closes.
        ("HTTP/1.0 200 OK\r\n\r\n{\"a\": 1}", true),
    ])
    func replyFramings(reply: String, serverCloses: Bool) async throws {
        let server = try RawServer(reply: reply, close: serverCloses)
        defer { server.stop() }
        let client = PlainHTTPClient(loop: MultiThreadedEventLoopGroup.singleton.next(), maxBody: 1 << 20, connectTimeout: .seconds(5))
        let target = try #require(PlainHTTPClient.target("http://127.0.0.1:\(server.port)/v1/chat/completions"))
        let prefix = try #require(PlainHTTPClient.requestPrefix(target, headers: [("Content-Type", "application/json")]))
        for _ in 0..<3 {
            let r = try await client.post(target, prefix: prefix, body: Array("{}".utf8), deadline: .now() + .seconds(10))
            #expect(r.head.status == .ok)
            #expect(String(buffer: r.body) == "{\"a\": 1}")
        }
        #expect(server.log.requests.withLock { $0 } == ["POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"] * 3)
        // Kept-alive connections are reused; closed ones are not handed out again.
        #expect(server.log.connections.withLock { $0 } == (serverCloses ? 3 : 1))
    }

    /// `https://` calls go through async-http-client; a URL with user info is the one plain
    /// `http://` case the plain client leaves to it, so the general path is tested over loopback.
    @Test func theGeneralClientSendsTheSameRequest() async throws {
        let server = try FakeProviderServer { r, _ in .text("0.8", for: r) }
        defer { server.stop() }
        let messages = [ChatMessage.system("Rate it."), .user("Query: q\n\nDocument: d")]
        var bodies: [String] = []
        for base in [server.baseURL, server.baseURL.replacingOccurrences(of: "http://", with: "http://user@")] {
            let endpoint = ProviderEndpoint(preset: ProviderPreset.named("openai")!, baseURL: base + "/v1", apiKey: "sk-test", keySource: "test")
            #expect((PlainHTTPClient.target(OpenAIChatProvider(endpoint: endpoint).url) == nil) == base.contains("@"))
            let reply = try await OpenAIChatProvider(endpoint: endpoint).complete(ChatRequest(model: "gpt-4o-mini", messages: messages))
            #expect(reply.text == "0.8")
            let r = try #require(server.requests.last)
            #expect(r.path == "/v1/chat/completions")
            #expect(r.header("Authorization") == "Bearer sk-test")
            #expect(r.header("Content-Type") == "application/json")
            #expect(r.header("Accept-Encoding") == "identity")
            bodies.append(r.body)
        }
        #expect(bodies.count == 2 && bodies[0] == bodies[1])
    }

    /// A connection's timer was set for the deadline of the request that armed it; the requests
    /// after it on the same connection still fail at their own deadlines, earlier or later.
    @Test func eachRequestOnAKeptConnectionHasItsOwnDeadline() async throws {
        // "slow" is answered long after any bound below, so a missed deadline shows even on a loaded machine.
        let server = try FakeProviderServer { r, _ in .json("{}", delay: r.body == "slow" ? 30 : r.body == "late" ? 0.6 : 0) }
        defer { server.stop() }
        let client = PlainHTTPClient(loop: MultiThreadedEventLoopGroup.singleton.next(), maxBody: 1 << 20, connectTimeout: .seconds(5))
        let target = try #require(PlainHTTPClient.target(server.baseURL + "/v1/chat/completions"))
        let prefix = try #require(PlainHTTPClient.requestPrefix(target, headers: []))
        // Arms the connection's timer 300 ms ahead and is answered at once.
        _ = try await client.post(target, prefix: prefix, body: Array("now".utf8), deadline: .now() + .milliseconds(300))
        // Answered after 600 ms, past the first deadline but within its own.
        let late = try await client.post(target, prefix: prefix, body: Array("late".utf8), deadline: .now() + .seconds(10))
        #expect(late.head.status == .ok)
        // A deadline earlier than the one the timer is set for.
        let started = NIODeadline.now(), sent = Date()
        await #expect(throws: PlainHTTPClient.Failure.deadlineExceeded) {
            _ = try await client.post(target, prefix: prefix, body: Array("slow".utf8), deadline: .now() + .milliseconds(200))
        }
        #expect(NIODeadline.now() - started >= .milliseconds(200))
        // When the client let go, as the server saw it: the test's own task may wait long for a
        // thread when the whole suite runs on two cores (it once resumed 15 s late), the server's
        // loop does not. The timer set for the 10 s deadline would hang up after 10 s.
        let hangUps = server.hangUps
        #expect(hangUps.count == 1)
        if let hungUp = hangUps.first { #expect(hungUp.timeIntervalSince(sent) < 5, "hung up after \(hungUp.timeIntervalSince(sent)) s") }
        // The timed-out connection was closed; the next request opens another and is answered.
        let after = try await client.post(target, prefix: prefix, body: Array("now".utf8), deadline: .now() + .seconds(10))
        #expect(after.head.status == .ok)
        #expect(server.requests.map(\.body) == ["now", "late", "slow", "now"])
    }

    /// A call cancelled before it reached the loop, and one cancelled while it waits, end with
    /// `CancellationError` at once and leave the client usable.
    @Test func cancelledCallsEndAtOnce() async throws {
        // The slow reply comes long after the deadline and the deadline long after the bound: a
        // cancellation that did not end the call ends it by the deadline (not a CancellationError)
        // or by the reply. The bound is loose because the full suite on 2 cores can starve this
        // test's tasks for half a minute (seen: 31 s with the local model's tests beside it).
        let server = try FakeProviderServer { r, _ in .json("{}", delay: r.body == "slow" ? 300 : 0) }
        defer { server.stop() }
        let client = PlainHTTPClient(loop: MultiThreadedEventLoopGroup.singleton.next(), maxBody: 1 << 20, connectTimeout: .seconds(5))
        let target = try #require(PlainHTTPClient.target(server.baseURL + "/v1/chat/completions"))
        let prefix = try #require(PlainHTTPClient.requestPrefix(target, headers: []))
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.post(target, prefix: prefix, body: Array("now".utf8), deadline: .now() + .seconds(10))
        }
        await #expect(throws: CancellationError.self) { _ = try await early.value }
        let started = NIODeadline.now()
        let waiting = Task { try await client.post(target, prefix: prefix, body: Array("slow".utf8), deadline: .now() + .seconds(120)) }
        try await Task.sleep(for: .milliseconds(200))
        waiting.cancel()
        await #expect(throws: CancellationError.self) { _ = try await waiting.value }
        #expect(NIODeadline.now() - started < .seconds(60))
        let after = try await client.post(target, prefix: prefix, body: Array("now".utf8), deadline: .now() + .seconds(10))
        #expect(after.head.status == .ok)
    }

    @Test func aReplyPastTheDeadlineOrTheLimitFails() async throws {
        let slow = try RawServer(reply: nil, close: false)
        defer { slow.stop() }
        let client = PlainHTTPClient(loop: MultiThreadedEventLoopGroup.singleton.next(), maxBody: 4, connectTimeout: .seconds(5))
        let target = try #require(PlainHTTPClient.target("http://127.0.0.1:\(slow.port)/"))
        let prefix = try #require(PlainHTTPClient.requestPrefix(target, headers: []))
        await #expect(throws: PlainHTTPClient.Failure.deadlineExceeded) {
            _ = try await client.post(target, prefix: prefix, body: [], deadline: .now() + .milliseconds(200))
        }
        let big = try RawServer(reply: "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n{\"a\": 1}", close: false)
        defer { big.stop() }
        let bigTarget = try #require(PlainHTTPClient.target("http://127.0.0.1:\(big.port)/"))
        await #expect(throws: PlainHTTPClient.Failure.replyTooLarge(limit: 4)) {
            _ = try await client.post(bigTarget, prefix: PlainHTTPClient.requestPrefix(bigTarget, headers: [])!, body: [], deadline: .now() + .seconds(10))
        }
    }
}

private func * (items: [String], n: Int) -> [String] { Array(repeating: items, count: n).flatMap { $0 } }

/// Answers each whole request (head and `Content-Length` body) with `reply`, then closes the
/// connection if `close`; with no reply it never answers.
private final class RawServer: Sendable {
    final class Log: Sendable {
        let requests = Mutex<[String]>([])
        let connections = Mutex(0)
    }
    let log = Log()
    private let channel: any Channel

    var port: Int { channel.localAddress!.port! }

    init(reply: String?, close: Bool) throws {
        let log = self.log
        channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                log.connections.withLock { $0 += 1 }
                return child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(Handler(reply: reply, close: close, log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
    }

    func stop() { channel.close(promise: nil) }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let reply: String?
        let close: Bool
        let log: Log
        var pending = ""

        init(reply: String?, close: Bool, log: Log) {
            self.reply = reply
            self.close = close
            self.log = log
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            pending += String(buffer: unwrapInboundIn(data))
            guard let end = pending.range(of: "\r\n\r\n") else { return }
            let head = pending[..<end.lowerBound]
            let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            guard pending.utf8.count >= pending[..<end.upperBound].utf8.count + length else { return }
            log.requests.withLock { $0.append(pending) }
            pending = ""
            guard let reply else { return }
            context.writeAndFlush(NIOAny(ByteBuffer(string: reply))).assumeIsolated().whenComplete { _ in
                if self.close { context.close(promise: nil) }
            }
        }
    }
}
