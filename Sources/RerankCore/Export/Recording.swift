import Foundation

/// A run's replies as a JSONL file: a header line, then one line per call. The `replay`
/// provider serves them, so a run made with a paid model can be shared and re-examined offline.
///
/// Each call is keyed by a hash of its rendered messages and sample index, so a replay with a
/// different prompt or dataset finds no reply instead of a wrong one.
public enum Recording {
    public static let formatVersion = 1

    public struct Header: Codable, Sendable {
        public var rerankbenchRecording: Int
        public var provider: String
        public var model: String
        public var promptName: String
        public var promptSha256: String
        public var datasetPath: String
        public var datasetSha256: String
        public var runId: Int64?
        public var calls: Int
        /// The prompt text and the settings that shaped the requests and read the replies, so a
        /// replay asks what was asked by default. Nil in recordings made before they were kept.
        public var promptText: String?
        public var mode: PromptMode?
        public var parser: ScoreParserKind?
        public var scale: ScoreScale?

        /// The prompt the recording was made with, when it holds the text: what a replay uses
        /// unless told otherwise.
        public var prompt: ScoringPrompt? {
            guard let promptText else { return nil }
            return ScoringPrompt(name: promptName, mode: mode, parser: parser, scale: scale, text: promptText)
        }
    }

    public struct Call: Codable, Sendable {
        public var key: String
        public var queryId: String
        public var candidateId: String
        public var sampleIndex: Int
        public var reply: ChatReply?
        public var error: String?
        public var errorKind: CallErrorKind?
    }

    /// The replay key of a request: its messages and sample index.
    public static func key(messages: [ChatMessage], sampleIndex: Int) -> String {
        Digest.sha256(JSONBody.messages(messages).serialized() + "\nsample=\(sampleIndex)")
    }

    /// Writes the recording of a run: `plan` supplies each call's messages.
    public static func write(results: [PairResult], plan: RunPlan, dataset: Dataset, prompt: ScoringPrompt,
                             settings: RunSettings, runID: Int64?) -> String {
        var messages: [PairKey: [ChatMessage]] = [:]
        for task in plan.tasks { messages[RerankRunner.key(task, dataset)] = task.request.messages }
        let encoder = StoreCoding.encoder
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let header = Header(rerankbenchRecording: formatVersion, provider: settings.provider, model: settings.model,
                            promptName: prompt.name, promptSha256: prompt.textHash, datasetPath: dataset.path,
                            datasetSha256: dataset.contentHash, runId: runID, calls: results.count,
                            promptText: prompt.text, mode: settings.mode, parser: settings.parser, scale: settings.scale)
        // Replies are model output: written inert (escapes JSON reads back as the same text).
        func line(_ data: Data?) -> String { JSONText.escapingInvisible(String(decoding: data ?? Data(), as: UTF8.self)) }
        var lines = [line(try? encoder.encode(header))]
        let ordered = results.sorted { ($0.queryID, $0.candidateID, $0.sampleIndex) < ($1.queryID, $1.candidateID, $1.sampleIndex) }
        for r in ordered {
            guard let m = messages[r.key] else { continue }
            let call = Call(key: key(messages: m, sampleIndex: r.sampleIndex), queryId: r.queryID, candidateId: r.candidateID,
                            sampleIndex: r.sampleIndex, reply: r.reply, error: r.error, errorKind: r.errorKind)
            lines.append(line(try? encoder.encode(call)))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads only a recording's header (its first line).
    public static func header(path: String) throws(InputError) -> Header {
        try read(path: path, headerOnly: true).0
    }

    /// Reads a recording, naming the line and field of anything wrong.
    public static func load(path: String) throws(InputError) -> (Header, [String: Call]) {
        try read(path: path, headerOnly: false)
    }

    static func read(path: String, headerOnly: Bool) throws(InputError) -> (Header, [String: Call]) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError(file: path, message: "no such recording", remedies: [.makeRecording])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot be read (permission denied)")
        }
        let decoder = StoreCoding.decoder
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, !first.isEmpty, let header = try? decoder.decode(Header.self, from: Data(first.utf8)) else {
            throw InputError(file: path, line: 1, message: "is not a RerankBench recording: the first line must be its header ({\"rerankbench_recording\": 1, ...})")
        }
        guard header.rerankbenchRecording == formatVersion else {
            throw InputError(file: path, line: 1, field: "rerankbench_recording", message: "format \(header.rerankbenchRecording) is not known to this version (expected \(formatVersion))")
        }
        var calls: [String: Call] = [:]
        if headerOnly { return (header, calls) }
        for (i, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                let call = try decoder.decode(Call.self, from: Data(line.utf8))
                calls[call.key] = call
            } catch let DecodingError.keyNotFound(key, _) {
                // The decoder reports the Swift name (candidateId); the file says candidate_id.
                let field = key.stringValue.reduce(into: "") { out, c in out += c.isUppercase ? "_" + c.lowercased() : String(c) }
                throw InputError(file: path, line: i + 1, field: field, message: "missing; each call line needs key, query_id, candidate_id, sample_index and reply or error")
            } catch {
                throw InputError(file: path, line: i + 1, message: "not a recorded call (invalid JSON or wrong field types)")
            }
        }
        return (header, calls)
    }
}
