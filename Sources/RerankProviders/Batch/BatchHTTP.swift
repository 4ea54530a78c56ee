import RerankCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The batch APIs' HTTP calls: JSON and multipart uploads, polls and file downloads, on the
/// process's one client (`HTTPExchange.client`). Unlike a scoring call, a body here can be
/// hundreds of megabytes (an input file, a results file), so the limits are the APIs' own.
enum BatchHTTP {
    /// The largest download read: a results file of a full batch (Anthropic's batches hold up
    /// to 256 MB of requests; their results are of the same order).
    static let maxDownload = 1 << 30

    /// One request with errors mapped to `ProviderError`; `keyVariable` names the key to check
    /// on a 401/403. The reply body is returned whatever its status.
    static func send(_ method: HTTPMethod, url: String, headers: [(String, String)], body: [UInt8]? = nil,
                     contentType: String = "application/json", timeout: Double = 600,
                     redactor: SecretRedactor) async throws(ProviderError) -> HTTPExchange.Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if body != nil { request.headers.add(name: "Content-Type", value: contentType) }
        request.headers.add(name: "User-Agent", value: "RerankBench/0.1")
        request.headers.add(name: "Accept-Encoding", value: "identity")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await HTTPExchange.client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            let buffer = try await response.body.collect(upTo: maxDownload)
            let json = response.headers.first(name: "content-type")?.contains("json") == true || buffer.readableBytesView.first == UInt8(ascii: "{")
                ? try? JSONParser.parse(Array(buffer.readableBytesView)) : nil
            return HTTPExchange.Response(status: Int(response.status.code), headers: response.headers, body: buffer, json: json)
        } catch {
            throw HTTPExchange.providerError(error, url: url, seconds: timeout, maxBody: maxDownload, redactor: redactor)
        }
    }

    /// A non-2xx reply of a batch endpoint as a typed error with the provider's own message.
    static func failure(_ response: HTTPExchange.Response, what: String, keyVariable: String?, redactor: SecretRedactor) -> ProviderError {
        let message = response.json?.at("error", "message")?.stringValue ?? response.json?["error"]?.stringValue
            ?? String(response.text.prefix(300))
        let text = redactor.redact(message)
        switch response.status {
        case 401, 403:
            let hint = keyVariable.map { " Check \($0) (or the API key given)." } ?? ""
            return .configuration("the server rejected the credentials (HTTP \(response.status)) for \(what): \(text).\(hint)")
        case 404:
            return .configuration("not found (HTTP 404) for \(what): \(text). Check the base URL (and that the batch was made with this account)")
        default:
            return .http(status: response.status, message: "\(what): \(text)", retryAfter: HTTPExchange.retryAfter(response.headers))
        }
    }

    /// A `multipart/form-data` body (RFC 7578) with text fields and one file part.
    static func multipart(fields: [(String, String)], fileField: String, fileName: String, fileType: String,
                          file: [UInt8], boundary: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(file.count + 512)
        func add(_ s: String) { out.append(contentsOf: Array(s.utf8)) }
        for (name, value) in fields {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(fileField)\"; filename=\"\(fileName)\"\r\nContent-Type: \(fileType)\r\n\r\n")
        out.append(contentsOf: file)
        add("\r\n--\(boundary)--\r\n")
        return out
    }

    /// The lines of a JSONL body, each parsed (blank lines skipped; a line that is not JSON is
    /// returned as nil so the caller can name it).
    static func jsonLines(_ buffer: ByteBuffer) -> [JSONValue?] {
        let bytes = Array(buffer.readableBytesView)
        var lines: [JSONValue?] = []
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "\n") {
            let line = bytes[start..<i]
            start = i + 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) { continue }
            lines.append(try? JSONParser.parse(Array(line)))
        }
        return lines
    }
}
