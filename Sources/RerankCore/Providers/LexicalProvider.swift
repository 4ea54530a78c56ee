import Foundation

/// A BM25 scorer of query against memory text: the offline, key-free baseline.
///
/// It is not a language model and ignores the prompt; every front end labels it as such. It
/// answers like a model would, with a score in 0...1 as reply text, so the whole pipeline (parser,
/// ranking, metrics) runs exactly as with a real provider. Term statistics come from every
/// candidate text in the dataset.
public struct LexicalProvider: ChatProvider {
    public let name = ProviderCatalog.lexicalName
    public var ignoresPrompt: Bool { true }
    public var answersInProcess: Bool { true }
    public static let modelName = "bm25"

    private let idf: [String: Double]
    private let averageLength: Double
    private let k1 = 1.2
    private let b = 0.75
    /// bm25 / (bm25 + halfScore) maps to 0...1 monotonically; 5 puts typical matches mid-range.
    private let halfScore = 5.0

    public init(dataset: Dataset) {
        var documentFrequency: [String: Int] = [:]
        var totalLength = 0
        var count = 0
        var seenTexts = Set<String>()
        for query in dataset.queries {
            for candidate in query.candidates where seenTexts.insert(candidate.text).inserted {
                let terms = Self.terms(candidate.text)
                totalLength += terms.count
                count += 1
                for t in Set(terms) { documentFrequency[t, default: 0] += 1 }
            }
        }
        let n = Double(max(count, 1))
        var idf: [String: Double] = [:]
        for (t, df) in documentFrequency {
            idf[t] = log(1 + (n - Double(df) + 0.5) / (Double(df) + 0.5))
        }
        self.idf = idf
        self.averageLength = count > 0 ? Double(totalLength) / Double(count) : 1
    }

    public func complete(_ request: ChatRequest) async throws -> ChatReply {
        try Task.checkCancellation()
        let queryTerms = Self.terms(request.query)
        let documentTerms = Self.terms(request.document)
        // A memory has a handful of terms: counting each query term in them is cheaper than
        // building the memory's term dictionary, and adds the same numbers in the same order.
        let score = bm25(queryTerms: queryTerms, length: documentTerms.count) { t in
            documentTerms.reduce(0) { $1 == t ? $0 + 1 : $0 }
        }
        let normalized = score / (score + halfScore)
        let text = normalized.formatted(decimals: 4)
        let usage = TokenUsage(promptTokens: queryTerms.count + documentTerms.count, completionTokens: 1)
        return ChatReply(text: text, finishReason: "stop", usage: usage, logprobs: nil, latency: 0)
    }

    /// The raw BM25 score.
    public func bm25(query: String, document: String) -> Double {
        bm25(query: query, document: TermCounts(document))
    }

    /// A document's term counts, made once when the document is scored against many queries
    /// (an import ranks every turn of a conversation for each of its questions).
    public struct TermCounts: Sendable {
        let tf: [String: Int]
        let length: Int

        public init(_ text: String) {
            let terms = LexicalProvider.terms(text)
            var tf: [String: Int] = [:]
            for t in terms { tf[t, default: 0] += 1 }
            self.tf = tf
            self.length = terms.count
        }
    }

    /// The raw BM25 score against pre-counted document terms.
    public func bm25(query: String, document counts: TermCounts) -> Double {
        bm25(queryTerms: Self.terms(query), document: counts)
    }

    func bm25(queryTerms: [String], document counts: TermCounts) -> Double {
        bm25(queryTerms: queryTerms, length: counts.length) { counts.tf[$0] ?? 0 }
    }

    /// `frequency`: how often a term occurs in the document.
    func bm25(queryTerms: [String], length documentLength: Int, frequency: (String) -> Int) -> Double {
        let length = Double(documentLength)
        var score = 0.0
        // Sorted, not Set order: Set order changes with every process's hash seed, and so would
        // the last bits of the sum, making imports differ from run to run.
        for t in Set(queryTerms).sorted() {
            let f = frequency(t)
            guard f > 0 else { continue }
            let idfValue = idf[t] ?? log(1 + (1.0 / 0.5))
            let fd = Double(f)
            score += idfValue * fd * (k1 + 1) / (fd + k1 * (1 - b + b * length / averageLength))
        }
        return score
    }

    static let stopwords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from",
        "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "i", "me", "my", "we", "our",
        "you", "your", "he", "she", "it", "its", "they", "them", "their", "this", "that", "these", "those",
        "what", "which", "who", "whom", "when", "where", "why", "how", "should", "would", "could", "can",
        "will", "shall", "have", "has", "had", "not", "no", "so", "as", "if", "about", "any", "some",
        "there", "here", "into", "than", "then", "too", "very", "just", "also", "up", "out", "s",
    ]

    /// Lower-cased word stems without stopwords.
    public static func terms(_ text: String) -> [String] {
        asciiTerms(text) ?? unicodeTerms(text)
    }

    /// `unicodeTerms` for ASCII text, by bytes: A-Z, a-z and 0-9 are ASCII's letters and numbers,
    /// an apostrophe joins, anything else separates. Nil when the text is not ASCII. Reading
    /// Characters and their Unicode properties was a third of a million-pair baseline run.
    static func asciiTerms(_ text: String) -> [String]? {
        var out: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(32)
        func flush() {
            guard !current.isEmpty else { return }
            defer { current.removeAll(keepingCapacity: true) }
            if current.count <= stopwordLength, stopwords.contains(String(decoding: current, as: UTF8.self)) { return }
            // `stem` on bytes (one byte is one character here), making one String per term.
            var end = current.count
            if end > 4 {
                for suffix in stemSuffixBytes where end - suffix.count >= 3 && current.suffix(suffix.count).elementsEqual(suffix) {
                    end -= suffix.count
                    break
                }
            }
            out.append(String(decoding: current[..<end], as: UTF8.self))
        }
        for byte in text.utf8 {
            switch byte {
            case 0x61...0x7A, 0x30...0x39: current.append(byte)
            case 0x41...0x5A: current.append(byte + 0x20)
            case 0x27: continue
            case 0x80...: return nil
            default: flush()
            }
        }
        flush()
        return out
    }

    static func unicodeTerms(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty, !stopwords.contains(current) { out.append(stem(current)) }
            current = ""
        }
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber { current.append(ch) } else if ch != "'" { flush() }
        }
        flush()
        return out
    }

    static let stemSuffixes = ["ies", "ing", "ed", "es", "s", "ic", "y"]
    static let stemSuffixBytes = stemSuffixes.map { Array($0.utf8) }
    /// The longest stopword's length: a longer word need not be looked up.
    static let stopwordLength = stopwords.map(\.utf8.count).max() ?? 0

    /// A light suffix stripper: enough that "allergies" meets "allergic" half way and plurals meet.
    static func stem(_ w: String) -> String {
        guard w.count > 4 else { return w }
        for suffix in stemSuffixes where w.hasSuffix(suffix) && w.count - suffix.count >= 3 {
            return String(w.dropLast(suffix.count))
        }
        return w
    }
}
