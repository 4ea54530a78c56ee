import Foundation
import RerankKit

/// A loopback model that plays both parts of a tune over the OpenAI wire format.
///
/// - As the scorer (a `Query: ...\n\nDocument: ...` user message), it ranks by the dataset's
///   labels only when the system prompt contains `magic`; otherwise its scores are a hash of the
///   pair, unrelated to the labels and the same for every other prompt.
/// - As the proposer (the tuner's instructions), it answers proposal `variant` of a round:
///   variant 0 in prose (discarded for its format), variant 1 with a prompt that asks for no
///   score (discarded by validation), variant 2 with a harmless edit, and variant 3 (and any
///   later) with the magic instruction added, from round `magicFromRound` on.
public struct TuneFakeModel: Sendable {
    /// The instruction that makes the scorer rank by the labels.
    public static let magic = "Put memories that state the answer above memories that only share its words."

    /// Labels by query text, then memory text.
    public var labels: [String: [String: Int]]
    public var magicFromRound: Int

    public init(dataset: Dataset, magicFromRound: Int = 1) {
        var labels: [String: [String: Int]] = [:]
        for q in dataset.queries {
            for c in q.candidates { labels[q.text, default: [:]][c.text] = c.relevance ?? 0 }
        }
        self.labels = labels
        self.magicFromRound = magicFromRound
    }

    /// Whether a request is the tuner asking for a proposal.
    public static func isProposal(_ request: RecordedRequest) -> Bool {
        request.messages.first { $0.role == .system }?.content.hasPrefix("You improve the scoring prompt") == true
    }

    public func reply(_ request: RecordedRequest) -> FakeReply {
        if Self.isProposal(request) { return .text(proposal(request), for: request, promptTokens: 400, completionTokens: 120) }
        guard let pair = request.pair else { return .error(400, "not a scoring or proposal request", for: request) }
        let system = request.messages.first { $0.role == .system }?.content ?? ""
        let score: Double
        if system.contains(Self.magic), let label = labels[pair.query]?[pair.document] {
            score = min(1, Double(label) / 2 * 0.9 + 0.05)
        } else {
            score = Fixtures.score(query: pair.query, document: pair.document)
        }
        return .text(String(format: "%.3f", score), for: request)
    }

    func proposal(_ request: RecordedRequest) -> String {
        let user = request.messages.last { $0.role == .user }?.content ?? ""
        let (variant, round) = Self.position(user)
        let current = Self.currentPrompt(user)
        switch variant {
        case 0:
            return "Sure! A better prompt would ask the model to think harder about relevance."
        case 1:
            return "<critique>\nThe prompt is too long.\n</critique>\n<prompt>\nJudge the memory carefully.\n</prompt>"
        case 2:
            return "<critique>\nThe wording could be plainer.\n</critique>\n<prompt>\n\(current)\nBe brief.\n</prompt>"
        default:
            guard round >= magicFromRound else {
                return "<critique>\nThe scale is unclear.\n</critique>\n<prompt>\n\(current)\nUse the whole scale.\n</prompt>"
            }
            return "<critique>\nMemories that share words with the query outrank those that answer it.\n</critique>\n<prompt>\n\(current)\n\(Self.magic)\n</prompt>"
        }
    }

    /// (variant, round) from "This is proposal N of K in round R".
    static func position(_ user: String) -> (Int, Int) {
        guard let r = user.range(of: "This is proposal ") else { return (0, 0) }
        let words = user[r.upperBound...].split(separator: " ")
        let n = words.first.flatMap { Int($0) } ?? 1
        let roundText = words.count > 5 ? words[5].trimmingCharacters(in: .punctuationCharacters) : "0"
        return (n - 1, Int(roundText) ?? 0)
    }

    static func currentPrompt(_ user: String) -> String {
        guard let open = user.range(of: "<prompt>\n"), let close = user.range(of: "\n</prompt>", range: open.upperBound..<user.endIndex) else { return "" }
        return String(user[open.upperBound..<close.lowerBound])
    }

    /// A dataset with a held-out split whose first-stage order is poor: `dev` and `test` queries
    /// of 4 candidates (labels 2, 1, 0, 0 in a rotating order). Test queries say "held-out" in
    /// their text and memories, so a test can look for them in any request.
    public static func datasetText(dev: Int, test: Int) -> String {
        var lines: [String] = []
        for i in 0..<(dev + test) {
            let isTest = i >= dev
            let tag = isTest ? "held-out" : "tuning"
            let labels = [[0, 0, 1, 2], [0, 2, 0, 1], [1, 0, 2, 0], [0, 1, 0, 2]][i % 4]
            let candidates = labels.enumerated().map { c, label in
                "{\"id\": \"m\(c)\", \"text\": \"\(tag) memory \(i)-\(c) about topic \(i)\", \"relevance\": \(label), \"score\": \(0.9 - Double(c) * 0.1)}"
            }
            lines.append("{\"query_id\": \"q\(i)\", \"query\": \"\(tag) question \(i) about topic \(i)\", \"split\": \"\(isTest ? "test" : "dev")\", \"candidates\": [\(candidates.joined(separator: ", "))]}")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
