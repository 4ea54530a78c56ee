import RerankCore
/// Why the local model cannot be installed or served, with what to do about it.
public struct LocalModelError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    static func notInstalled(_ home: LocalModelHome) -> LocalModelError {
        LocalModelError("the local model is not installed in \(home.root): run `swift run rerank-eval local install` (about 15 minutes the first time: it builds llama.cpp)")
    }
}
