import RerankCore
import Foundation

/// Where the local model lives: a private Python environment, the model file, the install
/// manifest and the state of running servers. Outside the repository, shared by every clone.
public struct LocalModelHome: Sendable, Hashable {
    /// The environment variable that moves it.
    public static let variable = "RERANKBENCH_LOCAL_LLM"

    public var root: String

    public init(root: String) {
        self.root = root
    }

    /// `RERANKBENCH_LOCAL_LLM`, else `$XDG_CACHE_HOME/rerankbench/local-llm`, else
    /// `~/.cache/rerankbench/local-llm`.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> LocalModelHome {
        if let root = environment[variable], !root.isEmpty { return LocalModelHome(root: root) }
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".cache")
        return LocalModelHome(root: (cache as NSString).appendingPathComponent("rerankbench/local-llm"))
    }

    func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    public var python: String { path("bin/python") }
    public var modelsDirectory: String { path("models") }
    public var manifestPath: String { path("install.json") }
    /// One JSON file per server started from this home, named by port.
    public var serversDirectory: String { path("servers") }
}
