/// The two prompts mem0 compatibility depends on, kept in code because mem0 falls back to them
/// when `scoring_prompt` is empty. `Prompts/` ships the same texts as files (a test keeps them equal).
public enum BuiltinPrompts {
    /// mem0's current default system prompt (mem0 2.0.2 and later), as quoted in
    /// `shared/spec/mem0-reranker.md`.
    public static let mem0System = """
    You are a relevance scoring assistant. Given a query and a document, score how relevant the document is to the query.

    Score the relevance on a scale from 0.0 to 1.0, where:
    - 1.0 = Perfectly relevant and directly answers the query
    - 0.8-0.9 = Highly relevant with good information
    - 0.6-0.7 = Moderately relevant with some useful information
    - 0.4-0.5 = Slightly relevant with limited useful information
    - 0.0-0.3 = Not relevant or no useful information

    Respond with only a single numerical score between 0.0 and 1.0. Do not include any explanation or additional text.
    """

    /// The default template mem0's documentation describes (docs.mem0.ai, "Custom Prompts" /
    /// "Default Prompt Behavior"), used by mem0 up to 2.0.1 with `str.format`.
    public static let mem0DocumentedTemplate = """
    You are a relevance scoring assistant. Given a query and a document, you need to score how relevant the document is to the query.

    Score the relevance on a scale from 0.0 to 1.0, where:
    - 1.0 = Perfectly relevant and directly answers the query
    - 0.8-0.9 = Highly relevant with good information
    - 0.6-0.7 = Moderately relevant with some useful information
    - 0.4-0.5 = Slightly relevant with limited useful information
    - 0.0-0.3 = Not relevant or no useful information

    Query: "{query}"
    Document: "{document}"

    Provide only a single numerical score between 0.0 and 1.0. Do not include any explanation or additional text.
    """

    public static var mem0SystemPrompt: ScoringPrompt {
        ScoringPrompt(name: "mem0-default-system", description: "mem0's current default system prompt (mem0 2.0.2+)",
                      mode: .system, parser: .mem0, text: mem0System)
    }

    public static var mem0TemplatePrompt: ScoringPrompt {
        ScoringPrompt(name: "mem0-documented-template", description: "the default template mem0's docs describe (mem0 <= 2.0.1)",
                      mode: .template, parser: .mem0, text: mem0DocumentedTemplate)
    }
}
