import RerankCore

/// Why the local model cannot be installed or served: a code to match on, what is wrong, and
/// what to do as `Remedy` values each front end words (`rerank-eval` as its command, the
/// workbench in its own terms).
public struct LocalModelError: RemedialError, Hashable {
    public enum Code: String, Sendable, Hashable {
        /// The managed model is not installed.
        case notInstalled
        /// A user's model file is not a file.
        case noSuchModelFile
        /// A folder or file under the model home cannot be created or written.
        case cannotWrite
        /// A tool the install needs (python3, venv, a compiler) is missing.
        case missingTool
        /// Not enough free disk space for the build.
        case notEnoughSpace
        /// pip failed, could not run, or hung and was stopped.
        case pipFailed
        /// The installed package has no llama-server.
        case serverNotFound
        /// The model file could not be written, or is not the catalog's file.
        case badModelFile
        /// No free loopback port for the server.
        case noFreePort
        /// The server could not be started.
        case serverNotStarted
        /// The server could not bind its port (taken between finding it free and binding it).
        case portInUse
        /// The server exited while it was starting.
        case serverExited
        /// The server did not answer its health check in time.
        case serverNotAnswering
        /// Cancelled while the server was loading the model.
        case cancelled
    }

    public var code: Code
    /// What is wrong, with no front end's vocabulary in it.
    public var problem: String
    public var remedies: [Remedy]

    public init(_ code: Code, _ problem: String, remedies: [Remedy] = []) {
        self.code = code
        self.problem = problem
        self.remedies = remedies
    }

    public func message(_ wording: RemedyWording) -> String { wording.sentence(problem, remedies) }

    static func notInstalled(_ home: LocalModelHome) -> LocalModelError {
        LocalModelError(.notInstalled, "the local model is not installed in \(home.root) (installing takes about 15 minutes the first time: it builds llama.cpp)",
                        remedies: [.installLocalModel])
    }

    static func noSuchModelFile(_ modelFile: String) -> LocalModelError {
        LocalModelError(.noSuchModelFile, "\(modelFile): no such model file", remedies: [.set(.modelFile, placeholder: "GGUF-FILE")])
    }
}
