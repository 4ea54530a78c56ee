import Foundation
import Synchronization
import RerankKit

/// A loopback server that speaks the three batch APIs as their references describe them
/// (OpenAI's Batch API with its Files API, Azure OpenAI's global batch under `/openai/` with
/// `api-version`, Anthropic's Message Batches), statefully, and the live scoring endpoints too,
/// so a batch run and a live run can be compared on the same answers. Built on
/// `FakeProviderServer`: every request is recorded.
///
/// A batch answers "in progress" for `pollsBeforeEnd` polls, then ends: each request is
/// answered by `answer` (as the live endpoint would), fails when `failing` names it, or, past
/// `expireAfter` requests, expires; a cancelled batch ends with only its first
/// `answeredBeforeCancel` requests answered.
public final class FakeBatchServer: Sendable {
    public struct Behavior: Sendable {
        /// The reply text for a scoring request (nil: null content).
        public var answer: @Sendable (RecordedRequest) -> String?
        /// A failure message for a request (by custom id and position in its batch), or nil.
        public var failing: @Sendable (String, Int) -> String?
        public var pollsBeforeEnd: Int
        /// The batch expires after answering this many requests.
        public var expireAfter: Int?
        public var answeredBeforeCancel: Int
        /// The key every request must carry (in the API's own header).
        public var key: String?

        public init(answer: @escaping @Sendable (RecordedRequest) -> String?, failing: @escaping @Sendable (String, Int) -> String? = { _, _ in nil },
                    pollsBeforeEnd: Int = 1, expireAfter: Int? = nil, answeredBeforeCancel: Int = 0, key: String? = nil) {
            self.answer = answer
            self.failing = failing
            self.pollsBeforeEnd = pollsBeforeEnd
            self.expireAfter = expireAfter
            self.answeredBeforeCancel = answeredBeforeCancel
            self.key = key
        }
    }

    /// One batch as the fake keeps it.
    public struct Batch: Sendable {
        public var id: String
        public var anthropic: Bool
        /// The custom ids and bodies submitted, in order.
        public var customIDs: [String]
        public var bodies: [JSONValue]
        var lineURL: String
        var polls = 0
        var cancelAsked = false
        var ended = false
        var outputFileID: String?
        var errorFileID: String?
        var results: [String] = []
        var counts = (succeeded: 0, errored: 0, canceled: 0, expired: 0)
        var endedAs = "completed"
    }

    struct State: Sendable {
        var files: [String: String] = [:]
        var batches: [String: Batch] = [:]
        var order: [String] = []
        var nextID = 1
    }

    private let logic: FakeBatchLogic
    private let server: FakeProviderServer

    public var baseURL: String { server.baseURL }
    public var requests: [RecordedRequest] { server.requests }
    /// The batches created, in order.
    public var batches: [Batch] { logic.state.withLock { s in s.order.compactMap { s.batches[$0] } } }

    public init(_ behavior: Behavior) throws {
        let logic = FakeBatchLogic(behavior: behavior)
        let server = try FakeProviderServer { request, _ in logic.respond(request) }
        logic.baseURL.withLock { $0 = server.baseURL }
        self.server = server
        self.logic = logic
    }

    public func stop() { server.stop() }
}

/// The fake's endpoints and state, apart from the server so the responder can hold them.
final class FakeBatchLogic: Sendable {
    typealias Behavior = FakeBatchServer.Behavior
    typealias Batch = FakeBatchServer.Batch
    typealias State = FakeBatchServer.State
    let state = Mutex(State())
    let behavior: Behavior
    let baseURL = Mutex("")

    init(behavior: Behavior) {
        self.behavior = behavior
    }

    func respond(_ r: RecordedRequest) -> FakeReply {
        let path = r.path
        let anthropic = path.hasPrefix("/v1/messages")
        let azure = path.hasPrefix("/openai/")
        if let key = behavior.key {
            let given = anthropic ? r.header("x-api-key") : azure ? r.header("api-key") : r.header("Authorization").map { String($0.dropFirst(7)) }
            if given != key { return anthropic ? .error(401, "invalid x-api-key", for: r) : .error(401, "Incorrect API key provided", for: r) }
            if anthropic, r.header("anthropic-version") == nil { return .error(400, "anthropic-version header is required", for: r) }
        }
        if azure, !r.uri.contains("api-version=") { return .json(#"{"error":{"code":"404","message":"Resource not found"}}"#, status: 404) }
        let parts = path.split(separator: "/").map(String.init)
        switch (r.method, parts) {
        case ("POST", _) where path.hasSuffix("/chat/completions") || path == "/v1/messages" || path.hasSuffix("/v1/completions"):
            return .text(behavior.answer(r), for: r)
        case ("POST", _) where path.hasSuffix("/files"):
            return upload(r)
        case ("GET", _) where path.hasSuffix("/content") && parts.count >= 3 && parts[parts.count - 3] == "files":
            let id = parts[parts.count - 2]
            guard let content = state.withLock({ $0.files[id] }) else { return .error(404, "No such File object: \(id)", for: r) }
            return .respond(status: 200, headers: [("Content-Type", "application/octet-stream")], body: content, delay: 0)
        case ("POST", _) where path.hasSuffix("/batches"):
            return anthropic ? createAnthropic(r) : createOpenAI(r)
        case ("GET", _) where parts.count >= 2 && parts[parts.count - 1] == "results" && anthropic:
            return state.withLock { s in
                guard let b = s.batches[parts[parts.count - 2]], b.ended else { return .error(400, "batch has not ended", for: r) }
                return .respond(status: 200, headers: [("Content-Type", "application/binary")], body: b.results.joined(separator: "\n") + "\n", delay: 0)
            }
        case ("POST", _) where path.hasSuffix("/cancel"):
            let id = parts[parts.count - 2]
            return state.withLock { s in
                guard var b = s.batches[id] else { return .error(404, "no batch \(id)", for: r) }
                if !b.ended { b.cancelAsked = true }
                s.batches[id] = b
                return .json(describe(b, cancelling: !b.ended))
            }
        case ("GET", _) where parts.count >= 2 && parts[parts.count - 2] == "batches":
            return poll(parts[parts.count - 1], r)
        default:
            return .error(404, "the fake batch server has no \(r.method) \(path)", for: r)
        }
    }

    func upload(_ r: RecordedRequest) -> FakeReply {
        guard let type = r.header("Content-Type"), type.hasPrefix("multipart/form-data"),
              let boundary = type.components(separatedBy: "boundary=").last else { return .error(400, "expected multipart/form-data", for: r) }
        var fields: [String: String] = [:]
        for part in r.body.components(separatedBy: "--" + boundary) {
            guard let split = part.range(of: "\r\n\r\n"), let name = part.range(of: "name=\"") else { continue }
            let nameEnd = part[name.upperBound...].firstIndex(of: "\"")!
            var value = String(part[split.upperBound...])
            // "\r\n" is one Character in Swift.
            if value.hasSuffix("\r\n") { value.removeLast() }
            fields[String(part[name.upperBound..<nameEnd])] = value
        }
        guard fields["purpose"] == "batch", let file = fields["file"] else { return .error(400, "expected the fields purpose=batch and file", for: r) }
        return state.withLock { s in
            let id = "file-\(s.nextID)"
            s.nextID += 1
            s.files[id] = file
            return .json(#"{"id":"\#(id)","object":"file","bytes":\#(file.utf8.count),"created_at":1700000000,"filename":"input.jsonl","purpose":"batch","status":"processed"}"#)
        }
    }

    func createOpenAI(_ r: RecordedRequest) -> FakeReply {
        guard let json = r.json, let fileID = json["input_file_id"]?.stringValue, let endpoint = json["endpoint"]?.stringValue,
              json["completion_window"]?.stringValue == "24h" else { return .error(400, "expected input_file_id, endpoint and completion_window 24h", for: r) }
        return state.withLock { s in
            guard let file = s.files[fileID] else { return .error(404, "No such File object: \(fileID)", for: r) }
            var ids: [String] = [], bodies: [JSONValue] = []
            for (n, line) in file.split(separator: "\n").enumerated() {
                guard let item = try? JSONParser.parse(String(line)), let id = item["custom_id"]?.stringValue, let body = item["body"],
                      item["method"]?.stringValue == "POST", item["url"]?.stringValue == endpoint else {
                    return .error(400, "line \(n + 1): expected custom_id, method POST, url \(endpoint) and body", for: r)
                }
                guard !ids.contains(id) else { return .error(400, "line \(n + 1): duplicate custom_id \(id)", for: r) }
                ids.append(id)
                bodies.append(body)
            }
            let id = "batch_\(s.nextID)"
            s.nextID += 1
            let batch = Batch(id: id, anthropic: false, customIDs: ids, bodies: bodies, lineURL: endpoint)
            s.batches[id] = batch
            s.order.append(id)
            return .json(describe(batch, cancelling: false, validating: true))
        }
    }

    func createAnthropic(_ r: RecordedRequest) -> FakeReply {
        guard case let .some(.array(items)) = r.json?["requests"], !items.isEmpty else { return .error(400, "requests: expected a non-empty list", for: r) }
        var ids: [String] = [], bodies: [JSONValue] = []
        for (n, item) in items.enumerated() {
            guard let id = item["custom_id"]?.stringValue, let params = item["params"], params["max_tokens"] != nil,
                  id.range(of: "^[a-zA-Z0-9_-]{1,64}$", options: .regularExpression) != nil else {
                return .error(400, "requests.\(n): expected custom_id matching ^[a-zA-Z0-9_-]{1,64}$ and params with max_tokens", for: r)
            }
            ids.append(id)
            bodies.append(params)
        }
        return state.withLock { s in
            let id = "msgbatch_\(s.nextID)"
            s.nextID += 1
            let batch = Batch(id: id, anthropic: true, customIDs: ids, bodies: bodies, lineURL: "/v1/messages")
            s.batches[id] = batch
            s.order.append(id)
            return .json(describe(batch, cancelling: false))
        }
    }

    func poll(_ id: String, _ r: RecordedRequest) -> FakeReply {
        state.withLock { s in
            guard var b = s.batches[id] else { return .error(404, "no batch \(id)", for: r) }
            b.polls += 1
            if !b.ended, b.cancelAsked || b.polls > behavior.pollsBeforeEnd { end(&b, files: &s) }
            s.batches[id] = b
            return .json(describe(b, cancelling: false))
        }
    }

    /// Answers every request of `b` (or fails, expires or cancels it) and writes its results.
    func end(_ b: inout Batch, files s: inout State) {
        var output: [String] = [], errors: [String] = []
        let limit = b.cancelAsked ? behavior.answeredBeforeCancel : behavior.expireAfter ?? Int.max
        b.endedAs = b.cancelAsked ? "cancelled" : behavior.expireAfter != nil ? "expired" : "completed"
        for (i, (id, body)) in zip(b.customIDs, b.bodies).enumerated() {
            let request = RecordedRequest(method: "POST", uri: b.lineURL, headers: [], body: body.serialized())
            let failure = behavior.failing(id, i)
            if i >= limit {
                let word = b.cancelAsked ? (b.anthropic ? "canceled" : "batch_cancelled") : (b.anthropic ? "expired" : "batch_expired")
                if b.anthropic { output.append(#"{"custom_id":"\#(id)","result":{"type":"\#(word)"}}"#) } else { errors.append(#"{"id":"batch_req_\#(i)","custom_id":"\#(id)","response":null,"error":{"code":"\#(word)","message":"This request could not be executed before the batch ended."}}"#) }
                if b.cancelAsked { b.counts.canceled += 1 } else { b.counts.expired += 1 }
            } else if let failure {
                if b.anthropic { output.append(#"{"custom_id":"\#(id)","result":{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":\#(JSONText.quote(failure))}}}}"#) } else { errors.append(#"{"id":"batch_req_\#(i)","custom_id":"\#(id)","response":{"status_code":400,"request_id":"req_\#(i)","body":{"error":{"message":\#(JSONText.quote(failure)),"type":"invalid_request_error"}}},"error":null}"#) }
                b.counts.errored += 1
            } else {
                guard case let .respond(_, _, reply, _) = FakeReply.text(behavior.answer(request), for: request) else { continue }
                if b.anthropic { output.append(#"{"custom_id":"\#(id)","result":{"type":"succeeded","message":\#(reply)}}"#) } else { output.append(#"{"id":"batch_req_\#(i)","custom_id":"\#(id)","response":{"status_code":200,"request_id":"req_\#(i)","body":\#(reply)},"error":null}"#) }
                b.counts.succeeded += 1
            }
        }
        b.ended = true
        if b.anthropic {
            b.results = output
            return
        }
        if !output.isEmpty {
            b.outputFileID = "file-out-\(b.id)"
            s.files[b.outputFileID!] = output.joined(separator: "\n") + "\n"
        }
        if !errors.isEmpty {
            b.errorFileID = "file-err-\(b.id)"
            s.files[b.errorFileID!] = errors.joined(separator: "\n") + "\n"
        }
    }

    func describe(_ b: Batch, cancelling: Bool, validating: Bool = false) -> String {
        if b.anthropic {
            let status = b.ended ? "ended" : b.cancelAsked ? "canceling" : "in_progress"
            let processing = b.ended ? 0 : b.customIDs.count
            let cancelAt = b.cancelAsked ? #""2026-12-02T03:00:00Z""# : "null"
            return #"{"id":"\#(b.id)","type":"message_batch","processing_status":"\#(status)","request_counts":{"processing":\#(processing),"succeeded":\#(b.counts.succeeded),"errored":\#(b.counts.errored),"canceled":\#(b.counts.canceled),"expired":\#(b.counts.expired)},"ended_at":\#(b.ended ? #""2026-12-02T03:00:00Z""# : "null"),"created_at":"2026-12-02T02:00:00Z","expires_at":"2026-12-03T02:00:00Z","cancel_initiated_at":\#(cancelAt),"results_url":\#(b.ended ? "\"\(baseURL.withLock { $0 })/v1/messages/batches/\(b.id)/results\"" : "null")}"#
        }
        let status = b.ended ? b.endedAs : cancelling || b.cancelAsked ? "cancelling" : validating ? "validating" : "in_progress"
        func quoted(_ s: String?) -> String { s.map { "\"\($0)\"" } ?? "null" }
        return #"{"id":"\#(b.id)","object":"batch","endpoint":"\#(b.lineURL)","errors":null,"input_file_id":"file-in","completion_window":"24h","status":"\#(status)","output_file_id":\#(quoted(b.outputFileID)),"error_file_id":\#(quoted(b.errorFileID)),"created_at":1700000000,"request_counts":{"total":\#(b.customIDs.count),"completed":\#(b.counts.succeeded),"failed":\#(b.counts.errored + b.counts.canceled + b.counts.expired)},"metadata":null}"#
    }
}
