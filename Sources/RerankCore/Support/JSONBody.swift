/// Helpers to build request bodies as `JSONValue`, keeping key order stable for tests and logs.
package enum JSONBody {
    package static func string(_ s: String) -> JSONValue { .string(s) }
    package static func int(_ i: Int) -> JSONValue { .number(Double(i), literal: String(i)) }
    package static func double(_ d: Double) -> JSONValue { .number(d, literal: "\(d)") }
    package static func bool(_ b: Bool) -> JSONValue { .bool(b) }

    package static func messages(_ messages: [ChatMessage]) -> JSONValue {
        .array(messages.map { .object([("role", .string($0.role.rawValue)), ("content", .string($0.content))]) })
    }
}

extension JSONValue {
    /// One step of a path into a reply: an object key or an array index.
    package enum PathStep: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case key(String)
        case index(Int)
        package init(stringLiteral value: String) { self = .key(value) }
        package init(integerLiteral value: Int) { self = .index(value) }
    }

    /// Follows a path of object keys and array indices (typed steps: replies are read on
    /// every call, and casting `Any` steps showed up in the client's profile).
    package func at(_ path: PathStep...) -> JSONValue? {
        var current = self
        for step in path {
            switch step {
            case let .key(key):
                guard let next = current[key] else { return nil }
                current = next
            case let .index(i):
                guard case let .array(items) = current, i >= 0, i < items.count else { return nil }
                current = items[i]
            }
        }
        return current
    }

    package var intValue: Int? {
        if case let .number(d, _) = self, d.isFinite { return Int(d) }
        return nil
    }
}
