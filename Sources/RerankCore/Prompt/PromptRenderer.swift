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
            let user = "Query: \(Self.prefix(query, Self.systemModeLimit))\n\nDocument: \(Self.prefix(document, Self.systemModeLimit))"
            return [.system(text), .user(user)]
        case .template:
            return [.user(template!.render(query: query, document: document))]
        }
    }

    /// The first `n` Unicode scalars (Python slices strings by code point, not by grapheme).
    static func prefix(_ s: String, _ n: Int) -> String {
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
