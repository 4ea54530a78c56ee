import Foundation

/// A BM25 scorer of query against memory text: the offline, key-free baseline.
///
/// It is not a language model and ignores the prompt; every front end labels it as such. It
/// answers like a model would, with a score in 0...1 as reply text, so the whole pipeline (parser,
/// ranking, metrics) runs exactly as with a real provider. Term statistics come from every
/// candidate text in the dataset.
public struct LexicalProvider: InProcessProvider {
    public let name = ProviderCatalog.lexicalName
    public var ignoresPrompt: Bool { true }
    public static let modelName = "bm25"

    private let idf: [String: Double]
    private let averageLength: Double
    /// The dataset's texts as term numbers, made once: a million-pair run tokenized every memory
    /// twice (here and again for each call) and every query once per memory.
    private let index: TermIndex
    private let k1 = 1.2
    private let b = 0.75
    /// bm25 / (bm25 + halfScore) maps to 0...1 monotonically; 5 puts typical matches mid-range.
    private let halfScore = 5.0

    public init(dataset: Dataset) {
        // Unique memory texts in dataset order, tokenized on every core a slice at a time (a
        // million texts' term lists at once would be hundreds of megabytes). Each candidate's
        // text is noted by its number as it is met, so that a pair's terms are found by its
        // position later without hashing its text again.
        var numbers: [String: Int32] = [:]
        var unique: [String] = []
        var members: [[Int32]] = []
        members.reserveCapacity(dataset.queries.count)
        for query in dataset.queries {
            members.append(query.candidates.map { candidate in
                if let n = numbers[candidate.text] { return n }
                let n = Int32(unique.count)
                numbers[candidate.text] = n
                unique.append(candidate.text)
                return n
            })
        }
        var spans = [TermIndex.Span](repeating: TermIndex.Span(start: 0, count: 0), count: unique.count)
        var termNumbers: [String: Int32] = [:]
        var documentFrequency: [Int] = []
        var flat: [Int32] = []
        var totalLength = 0
        let slice = 50_000
        for start in stride(from: 0, to: unique.count, by: slice) {
            let texts = unique[start..<min(unique.count, start + slice)]
            let terms = Parallel.map(count: texts.count, minimumPerPart: 1_000) { Self.terms(texts[texts.startIndex + $0]) }
            var seen: [Int32] = []
            for (offset, words) in terms.enumerated() {
                let from = flat.count
                seen.removeAll(keepingCapacity: true)
                for word in words {
                    let number: Int32
                    if let n = termNumbers[word] { number = n } else {
                        number = Int32(documentFrequency.count)
                        termNumbers[word] = number
                        documentFrequency.append(0)
                    }
                    flat.append(number)
                    if !seen.contains(number) {
                        seen.append(number)
                        documentFrequency[Int(number)] += 1
                    }
                }
                totalLength += words.count
                spans[start + offset] = TermIndex.Span(start: Int32(from), count: Int32(flat.count - from))
            }
        }
        let n = Double(max(unique.count, 1))
        var idf: [String: Double] = [:]
        var idfByNumber = [Double](repeating: 0, count: documentFrequency.count)
        for (t, number) in termNumbers {
            let df = Double(documentFrequency[Int(number)])
            let value = log(1 + (n - df + 0.5) / (df + 0.5))
            idf[t] = value
            idfByNumber[Int(number)] = value
        }
        var queries: [String: TermIndex.QueryTerms] = [:]
        for query in dataset.queries where queries[query.text] == nil {
            let terms = Self.terms(query.text)
            // Sorted as `bm25` sums them, so both add the same numbers in the same order; a
            // term no memory has adds nothing to a memory of the dataset.
            let known = Set(terms).sorted().compactMap { termNumbers[$0] }
            queries[query.text] = TermIndex.QueryTerms(numbers: known, count: terms.count)
        }
        self.idf = idf
        self.averageLength = unique.isEmpty ? 1 : Double(totalLength) / n
        // The same terms by the pair's position in the dataset, so a plan's call finds them
        // without hashing its two texts (a tenth of a baseline run's scoring).
        let positions = zip(dataset.queries, members).map { query, members in
            TermIndex.Position(query: query.text, terms: queries[query.text]!, memories: members)
        }
        self.index = TermIndex(documentNumbers: numbers, texts: unique, spans: spans, queries: queries, flat: flat,
                               idf: idfByNumber, positions: positions)
    }

    public func answer(_ task: PairTask) throws -> ChatReply {
        // The texts are checked (a probe's call keeps its pair's position but may carry a
        // rewritten memory); a text taken from the dataset is the same string, so the check
        // is a comparison of two references, not of the texts.
        guard task.queryIndex < index.positions.count else { return try answer(task.request) }
        let position = index.positions[task.queryIndex]
        guard task.candidateIndex < position.memories.count, position.query == task.request.query else { return try answer(task.request) }
        let memory = Int(position.memories[task.candidateIndex])
        guard index.texts[memory] == task.request.document else { return try answer(task.request) }
        let span = index.spans[memory]
        return reply(score: bm25(query: position.terms, span: span), tokens: position.terms.count + Int(span.count))
    }

    public func answer(_ request: ChatRequest) throws -> ChatReply {
        let score: Double, tokens: Int
        if let query = index.queries[request.query], let memory = index.documentNumbers[request.document] {
            let span = index.spans[Int(memory)]
            score = bm25(query: query, span: span)
            tokens = query.count + Int(span.count)
        } else {
            // A text from outside the dataset (a probe's rewritten memory): tokenized now.
            let queryTerms = Self.terms(request.query)
            let documentTerms = Self.terms(request.document)
            // A memory has a handful of terms: counting each query term in them is cheaper than
            // building the memory's term dictionary, and adds the same numbers in the same order.
            score = bm25(queryTerms: queryTerms, length: documentTerms.count) { t in
                documentTerms.reduce(0) { $1 == t ? $0 + 1 : $0 }
            }
            tokens = queryTerms.count + documentTerms.count
        }
        return reply(score: score, tokens: tokens)
    }

    private func reply(score: Double, tokens: Int) -> ChatReply {
        let normalized = score / (score + halfScore)
        let text = normalized.formatted(decimals: 4)
        let usage = TokenUsage(promptTokens: tokens, completionTokens: 1)
        return ChatReply(text: text, finishReason: "stop", usage: usage, logprobs: nil, latency: 0)
    }

    /// `bm25(queryTerms:length:frequency:)` over term numbers: the same terms in the same
    /// order, so the same sum to the bit.
    private func bm25(query: TermIndex.QueryTerms, span: TermIndex.Span) -> Double {
        let length = Double(span.count)
        var score = 0.0
        index.flat.withUnsafeBufferPointer { flat in
            let document = UnsafeBufferPointer(rebasing: flat[Int(span.start)..<Int(span.start + span.count)])
            for t in query.numbers {
                let f = document.reduce(0) { $1 == t ? $0 + 1 : $0 }
                guard f > 0 else { continue }
                let fd = Double(f)
                score += index.idf[Int(t)] * fd * (k1 + 1) / (fd + k1 * (1 - b + b * length / averageLength))
            }
        }
        return score
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

/// The texts of a lexical provider's dataset as numbered terms.
struct TermIndex: Sendable {
    /// Where a memory's terms are in `flat`.
    struct Span: Sendable {
        var start: Int32
        var count: Int32
    }

    /// A query's distinct terms that some memory has, in the order `bm25` sums them, and how
    /// many terms it has in all (for the token count).
    struct QueryTerms: Sendable {
        var numbers: [Int32]
        var count: Int
    }

    /// A query of the dataset by its position: its text and terms, and its memories' numbers
    /// (in `texts` and `spans`) in candidate order.
    struct Position: Sendable {
        var query: String
        var terms: QueryTerms
        var memories: [Int32]
    }

    /// The number of each unique memory text.
    var documentNumbers: [String: Int32]
    /// Unique memory texts and where their terms are in `flat`, by number.
    var texts: [String]
    var spans: [Span]
    var queries: [String: QueryTerms]
    /// Every memory's terms, one after another.
    var flat: [Int32]
    /// By term number.
    var idf: [Double]
    /// By query index.
    var positions: [Position]
}

