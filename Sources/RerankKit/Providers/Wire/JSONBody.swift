/// Helpers to build request bodies as `JSONValue`, keeping key order stable for tests and logs.
enum JSONBody {
    static func string(_ s: String) -> JSONValue { .string(s) }
    static func int(_ i: Int) -> JSONValue { .number(Double(i), literal: String(i)) }
    static func double(_ d: Double) -> JSONValue { .number(d, literal: "\(d)") }
    static func bool(_ b: Bool) -> JSONValue { .bool(b) }

    static func messages(_ messages: [ChatMessage]) -> JSONValue {
        .array(messages.map { .object([("role", .string($0.role.rawValue)), ("content", .string($0.content))]) })
    }
}

extension JSONValue {
    /// Follows a path of object keys and array indices.
    func at(_ path: Any...) -> JSONValue? {
        var current: JSONValue? = self
        for step in path {
            guard let c = current else { return nil }
            if let key = step as? String {
                current = c[key]
            } else if let i = step as? Int, case let .array(items) = c, i < items.count {
                current = items[i]
            } else {
                return nil
            }
        }
        return current
    }

    var intValue: Int? {
        if case let .number(d, _) = self, d.isFinite { return Int(d) }
        return nil
    }
}
