/// How a scoring prompt becomes chat messages (`shared/spec/mem0-reranker.md`).
public enum PromptMode: String, Sendable, CaseIterable, Codable {
    /// mem0's current code: the prompt is the system message, sent verbatim; the user message is
    /// `Query: <query>\n\nDocument: <document>`, each cut to 4000 code points.
    case system
    /// mem0's documented / legacy behaviour: `{query}` and `{document}` are filled into the prompt,
    /// sent as one user message.
    case template
}

/// One chat message as sent to a provider.
public struct ChatMessage: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Hashable, Codable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
}
