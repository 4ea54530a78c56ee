/// Turns a prompt and one (query, memory) pair into the exact chat messages mem0 would send.
public struct PromptRenderer: Sendable {
    /// mem0 cuts query and document to this many Unicode code points in system mode.
    public static let systemModeLimit = 4000

    public let mode: PromptMode
    public let text: String
    private let template: PromptTemplate?

    /// Fails with the prompt's problems when it cannot be rendered in `mode`.
    public init(prompt: ScoringPrompt, mode: PromptMode) throws(PromptValidationError) {
        self.mode = mode
        self.text = prompt.text
        switch mode {
        case .system:
            template = nil
        case .template:
            let (t, _) = PromptTemplate.parse(prompt.text)
            guard let t else {
                throw PromptValidationError(prompt: prompt.path ?? prompt.name, problems: prompt.validate(mode: .template))
            }
            template = t
        }
    }

    public func messages(query: String, document: String) -> [ChatMessage] {
        switch mode {
        case .system:
            // Written into one buffer of the right size (interpolation grew it twice a pair).
            let q = Self.prefix(query, Self.systemModeLimit), d = Self.prefix(document, Self.systemModeLimit)
            var user = "Query: "
            user.reserveCapacity(user.utf8.count + q.utf8.count + 12 + d.utf8.count)
            user += q
            user += "\n\nDocument: "
            user += d
            return [.system(text), .user(user)]
        case .template:
            return [.user(template!.render(query: query, document: document))]
        }
    }

    /// How many characters `messages(query:document:)` holds, as a sum: `fixed`, plus the query's
    /// characters `queryTimes` over, plus the document's `documentTimes` over (each cut to the
    /// system mode's limit first). The cost estimate counts a million pairs this way instead of
    /// rendering each. A sum of the parts' counts equals the whole's except where a part starts
    /// with a combining mark (it joins the character before it): near enough for an estimate.
    public struct CharacterCount: Sendable {
        /// Per message: its text's characters plus `perMessage` (the estimate's overhead).
        public var fixed: Int
        public var queryTimes: Int
        public var documentTimes: Int
        var limit: Int?

        /// A query's or document's characters as they are sent.
        public func characters(_ s: String) -> Int {
            // ASCII without a carriage return: a character is a byte (counting graphemes one by
            // one was most of the estimate, a million texts at the start of a run).
            if let n = Self.plainASCIICount(s) { return limit.map { min($0, n) } ?? n }
            guard let limit, s.unicodeScalars.count > limit else { return s.count }
            return PromptRenderer.prefix(s, limit).count
        }

        /// The length of `s` when every byte is ASCII and none is "\r" ("\r\n" is one
        /// character); nil otherwise.
        static func plainASCIICount(_ s: String) -> Int? {
            var s = s
            return s.withUTF8 { bytes in
                for b in bytes where b >= 0x80 || b == 0x0D { return nil }
                return bytes.count
            }
        }

        public func pair(queryCharacters: Int, document: String) -> Int {
            fixed + queryTimes * queryCharacters + documentTimes * characters(document)
        }
    }

    /// `perMessage`: characters added for each message.
    public func characterCount(perMessage: Int) -> CharacterCount {
        switch mode {
        case .system:
            // [.system(text), .user("Query: " + query + "\n\nDocument: " + document)]
            return CharacterCount(fixed: text.count + "Query: ".count + "\n\nDocument: ".count + 2 * perMessage,
                                  queryTimes: 1, documentTimes: 1, limit: Self.systemModeLimit)
        case .template:
            var fixed = perMessage, q = 0, d = 0
            for piece in template!.pieces {
                switch piece {
                case let .text(t): fixed += t.count
                case .query: q += 1
                case .document: d += 1
                }
            }
            return CharacterCount(fixed: fixed, queryTimes: q, documentTimes: d, limit: nil)
        }
    }

    /// The first `n` Unicode scalars (Python slices strings by code point, not by grapheme).
    static func prefix(_ s: String, _ n: Int) -> String {
        // No more bytes than n means no more scalars: counting the scalars of every query and
        // document was a third of rendering a cached re-run's prompts.
        if s.utf8.count <= n { return s }
        let scalars = s.unicodeScalars
        guard scalars.count > n else { return s }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars.prefix(n))
        return String(view)
    }
}

/// A prompt that cannot be used in the requested mode.
public struct PromptValidationError: Error, Sendable, CustomStringConvertible {
    public var prompt: String
    public var problems: [PromptProblem]

    public var description: String {
        problems.filter { $0.severity == .error }.map { p in
            p.line > 0 ? "\(prompt):\(p.line):\(p.column): \(p.message)" : "\(prompt): \(p.message)"
        }.joined(separator: "\n")
    }
}
