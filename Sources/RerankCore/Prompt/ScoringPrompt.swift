import Foundation
import Yams

/// A scoring prompt with the settings its author intended (from optional YAML front matter).
///
/// File format: plain text. An optional front matter block between two `---` lines at the very top
/// may set `name`, `description`, `mode` (system | template), `parser` and `scale`. Everything after
/// it is the prompt, with trailing newlines at the end of the file removed.
public struct ScoringPrompt: Sendable, Equatable {
    public var name: String
    public var description: String
    /// The mode the author wrote it for; nil lets the run choose (default `system`).
    public var mode: PromptMode?
    public var parser: ScoreParserKind?
    public var scale: ScoreScale?
    /// The prompt body as sent (system mode) or filled in (template mode).
    public var text: String
    /// The file it came from, if any.
    public var path: String?
    /// How many lines precede the body in its file (front matter), to place problems by file line.
    public var bodyLineOffset: Int
    /// Front matter keys RerankBench does not use, kept so prompt cards round-trip.
    public var extraFrontMatter: [String: String]

    public init(name: String, description: String = "", mode: PromptMode? = nil, parser: ScoreParserKind? = nil,
                scale: ScoreScale? = nil, text: String, path: String? = nil, bodyLineOffset: Int = 0,
                extraFrontMatter: [String: String] = [:]) {
        self.name = name
        self.description = description
        self.mode = mode
        self.parser = parser
        self.scale = scale
        self.text = text
        self.path = path
        self.bodyLineOffset = bodyLineOffset
        self.extraFrontMatter = extraFrontMatter
    }

    /// The reply length the author intended (`max_tokens` in the front matter), e.g. 1 for a
    /// prompt scored from the first token's logprobs; nil leaves the run's own (mem0's 100).
    public var maxTokens: Int? { extraFrontMatter["max_tokens"].flatMap { Int($0) } }

    /// SHA-256 of the prompt text, to tell prompt versions apart.
    public var textHash: String { Digest.sha256(text) }

    /// Reads a prompt file.
    public static func load(path: String) throws(InputError) -> ScoringPrompt {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw InputError(file: path, message: "no such prompt file", remedies: [.listPrompts])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot be read (permission denied)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, message: "is not UTF-8 text; save the prompt as UTF-8")
        }
        let fallbackName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try parse(text, path: path, defaultName: fallbackName)
    }

    /// Parses prompt file text (front matter optional).
    public static func parse(_ raw: String, path: String? = nil, defaultName: String = "prompt") throws(InputError) -> ScoringPrompt {
        let file = path ?? "<prompt>"
        var text = raw
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        text = text.replacingOccurrences(of: "\r\n", with: "\n")
        var lines = text.components(separatedBy: "\n")
        var prompt = ScoringPrompt(name: defaultName, text: "", path: path)
        if lines.first?.trimmingCharacters(in: .whitespaces) == "---" {
            guard let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
                throw InputError(file: file, line: 1, message: "front matter opened with --- is never closed; add a line with --- after it")
            }
            let yaml = lines[1..<end].joined(separator: "\n")
            try prompt.applyFrontMatter(yaml, file: file)
            prompt.bodyLineOffset = end + 1
            lines = Array(lines[(end + 1)...])
        }
        var body = lines.joined(separator: "\n")
        while body.hasSuffix("\n") { body.removeLast() }
        prompt.text = body
        return prompt
    }

    private mutating func applyFrontMatter(_ yaml: String, file: String) throws(InputError) {
        let node: Any?
        do {
            node = try Yams.load(yaml: yaml)
        } catch {
            throw InputError(file: file, line: 1, field: "front matter", message: "invalid YAML: \(error)")
        }
        guard let node else { return }
        guard let map = node as? [String: Any] else {
            throw InputError(file: file, line: 2, field: "front matter", message: "expected key: value lines (name, description, mode, parser, scale)")
        }
        for (key, value) in map {
            let string = value as? String ?? "\(value)"
            let line = Self.lineOf(key: key, in: yaml) + 1
            switch key {
            case "name": name = string
            case "description": description = string
            case "mode":
                guard let m = PromptMode(rawValue: string) else {
                    throw InputError(file: file, line: line, field: "mode", message: "unknown mode \(TerminalText.quoted(string)); use system or template")
                }
                mode = m
            case "parser":
                guard let p = ScoreParserKind(rawValue: string) else {
                    throw InputError(file: file, line: line, field: "parser", message: "unknown parser \(TerminalText.quoted(string)); use one of \(ScoreParserKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                parser = p
            case "scale":
                guard let s = ScoreScale(name: string) else {
                    throw InputError(file: file, line: line, field: "scale", message: "unknown scale \(TerminalText.quoted(string)); use one of \(ScoreScale.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                scale = s
            case "max_tokens":
                guard let n = Int(string), n >= 1 else {
                    throw InputError(file: file, line: line, field: "max_tokens", message: "\(TerminalText.quoted(string)) is not a positive whole number; use e.g. max_tokens: 1")
                }
                extraFrontMatter[key] = string
            default:
                extraFrontMatter[key] = string
            }
        }
    }

    private static func lineOf(key: String, in yaml: String) -> Int {
        for (i, l) in yaml.components(separatedBy: "\n").enumerated() where l.hasPrefix("\(key):") {
            return i + 1
        }
        return 1
    }

    /// Checks the prompt for `mode`; line numbers are lines of the prompt's file.
    public func validate(mode: PromptMode) -> [PromptProblem] {
        var problems: [PromptProblem]
        switch mode {
        case .template:
            problems = PromptTemplate.parse(text).problems
        case .system:
            problems = []
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(PromptProblem(line: 0, column: 0, severity: .warning,
                    message: "empty prompt: mem0 then uses its default system prompt"))
            }
            // mem0's current code sends the system prompt verbatim, braces and all.
            let (template, _) = PromptTemplate.parse(text)
            let found = template?.pieces ?? []
            if found.contains(.query) || found.contains(.document) || text.contains("{query}") || text.contains("{document}") {
                problems.append(PromptProblem(line: 0, column: 0, severity: .warning,
                    message: "system mode sends {query}/{document} literally (mem0 2.0.2+ does not substitute them); the query and memory go in the user message. Use template mode if you meant a template"))
            }
        }
        return problems.map { p in
            var q = p
            if q.line > 0 { q.line += bodyLineOffset }
            return q
        }
    }
}
