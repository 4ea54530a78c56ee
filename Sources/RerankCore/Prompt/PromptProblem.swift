/// A validation finding in a prompt, placed by line and column of the prompt body.
public struct PromptProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error, warning
    }

    /// 1-based line in the prompt body (0 when it concerns the whole prompt).
    public var line: Int
    /// 1-based column in characters (0 when it concerns the whole prompt).
    public var column: Int
    public var severity: Severity
    public var message: String

    public init(line: Int, column: Int, severity: Severity, message: String) {
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    public var description: String {
        let place = line > 0 ? "\(line):\(column): " : ""
        return "\(place)\(severity.rawValue): \(message)"
    }
}
