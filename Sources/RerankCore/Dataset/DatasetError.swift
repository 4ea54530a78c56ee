/// One problem found in an input file, placed by line and field.
public struct InputIssue: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line; 0 when the problem concerns the whole file.
    public var line: Int
    /// The field path (`candidates[3].id`), empty when the whole line is at fault.
    public var field: String
    /// What is wrong, with no front end's vocabulary in it.
    public var message: String
    /// What to do about it, worded by each front end.
    public var remedies: [Remedy]

    public init(file: String, line: Int, field: String = "", message: String, remedies: [Remedy] = []) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        self.remedies = remedies
    }

    /// "FILE:LINE: FIELD: message; remedy" in a front end's words.
    public func message(_ wording: RemedyWording) -> String {
        var s = file
        if line > 0 { s += ":\(line)" }
        s += ": "
        if !field.isEmpty { s += "\(field): " }
        return wording.sentence(s + message, remedies)
    }

    public var description: String { message(.plain) }
}

/// Why an input file could not be used: every problem found, up to a limit.
public struct InputError: RemedialError {
    public var issues: [InputIssue]
    /// Problems found beyond the reporting limit.
    public var moreCount: Int

    public init(issues: [InputIssue], moreCount: Int = 0) {
        self.issues = issues
        self.moreCount = moreCount
    }

    public init(file: String, line: Int = 0, field: String = "", message: String, remedies: [Remedy] = []) {
        self.init(issues: [InputIssue(file: file, line: line, field: field, message: message, remedies: remedies)])
    }

    /// One line per issue, in a front end's words.
    public func message(_ wording: RemedyWording) -> String {
        var lines = issues.map { $0.message(wording) }
        if moreCount > 0 { lines.append("... and \(moreCount) more problem\(moreCount == 1 ? "" : "s") not shown") }
        return lines.joined(separator: "\n")
    }
}
