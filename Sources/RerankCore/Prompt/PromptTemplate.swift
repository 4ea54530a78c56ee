/// A scoring prompt parsed for template mode: literal text and `{query}` / `{document}` slots.
///
/// The syntax is Python's `str.format` (what mem0 uses), restricted to the two names: `{{` and `}}`
/// write a literal brace. Anything else inside braces is an error naming line and column, because
/// mem0 would fail on it and silently score every document 0.5.
public struct PromptTemplate: Sendable, Equatable {
    public enum Piece: Sendable, Equatable {
        case text(String)
        case query
        case document
    }

    public static let placeholders = ["query", "document"]

    public var pieces: [Piece]

    /// Parses `text`; every problem found is returned, not only the first.
    public static func parse(_ text: String) -> (template: PromptTemplate?, problems: [PromptProblem]) {
        var pieces: [Piece] = []
        var problems: [PromptProblem] = []
        var literal = ""
        let chars = Array(text)
        var i = 0
        var line = 1
        var column = 1
        func advance(_ n: Int) {
            for k in 0..<n where i + k < chars.count {
                if chars[i + k] == "\n" { line += 1; column = 1 } else { column += 1 }
            }
            i += n
        }
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count, chars[i + 1] == "{" {
                    literal.append("{")
                    advance(2)
                    continue
                }
                // Find the closing brace on the same placeholder.
                var j = i + 1
                while j < chars.count, chars[j] != "}", chars[j] != "{", chars[j] != "\n" { j += 1 }
                guard j < chars.count, chars[j] == "}" else {
                    problems.append(PromptProblem(line: line, column: column, severity: .error,
                        message: "unbalanced '{': write {{ for a literal brace, or close the placeholder as {query} / {document}"))
                    literal.append("{")
                    advance(1)
                    continue
                }
                let name = String(chars[(i + 1)..<j])
                switch name {
                case "query":
                    if !literal.isEmpty { pieces.append(.text(literal)); literal = "" }
                    pieces.append(.query)
                case "document":
                    if !literal.isEmpty { pieces.append(.text(literal)); literal = "" }
                    pieces.append(.document)
                default:
                    problems.append(PromptProblem(line: line, column: column, severity: .error,
                        message: "unknown placeholder {\(name)}: only {query} and {document} are filled; write {{\(name)}} for literal braces"))
                }
                advance(j - i + 1)
                continue
            }
            if c == "}" {
                if i + 1 < chars.count, chars[i + 1] == "}" {
                    literal.append("}")
                    advance(2)
                    continue
                }
                problems.append(PromptProblem(line: line, column: column, severity: .error,
                    message: "unbalanced '}': write }} for a literal brace"))
                literal.append("}")
                advance(1)
                continue
            }
            literal.append(c)
            advance(1)
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        let errors = problems.contains { $0.severity == .error }
        if !errors {
            if !pieces.contains(.query) {
                problems.append(PromptProblem(line: 0, column: 0, severity: .error,
                    message: "template mode needs a {query} placeholder: without it the model never sees the query"))
            }
            if !pieces.contains(.document) {
                problems.append(PromptProblem(line: 0, column: 0, severity: .error,
                    message: "template mode needs a {document} placeholder: without it the model never sees the memory"))
            }
        }
        let ok = !problems.contains { $0.severity == .error }
        return (ok ? PromptTemplate(pieces: pieces) : nil, problems)
    }

    /// Fills the slots; substituted text is never re-read for braces.
    public func render(query: String, document: String) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case let .text(t): out += t
            case .query: out += query
            case .document: out += document
            }
        }
        return out
    }
}
