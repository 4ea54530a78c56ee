import RerankCore
import Foundation

/// The `local` provider: llama.cpp's `llama-server` with the installed model (or a GGUF the
/// user names), started on a free loopback port when first needed and spoken to with the
/// OpenAI-compatible provider code.
public struct LocalProvider: ChatProvider {
    public var name: String { ProviderPreset.localName }
    public var enforcesTimeout: Bool { true }
    @available(macOS 15.0, *)
    public var callExecutor: (any TaskExecutor)? { HTTPExchange.callExecutor }

    public let installation: LocalInstallation
    public let modelPath: String
    /// What the cache keys on instead of the URL (whose port changes from run to run): the
    /// installed model's sha256, or a user file's path, size and modification time.
    public let modelIdentity: String
    /// The endpoint settings (route, top_p); the base URL is filled in once the server runs.
    public let endpoint: ProviderEndpoint
    public let slots: Int
    public let home: LocalModelHome
    let pool: LocalServerPool

    public init(installation: LocalInstallation, modelFile: String? = nil, endpoint: ProviderEndpoint, slots: Int,
                home: LocalModelHome, pool: LocalServerPool = .shared) throws(LocalModelError) {
        self.installation = installation
        self.endpoint = endpoint
        self.slots = slots
        self.home = home
        self.pool = pool
        if let modelFile {
            let absolute = try Self.modelFilePath(modelFile)
            let attributes = (try? FileManager.default.attributesOfItem(atPath: absolute)) ?? [:]
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            modelPath = absolute
            modelIdentity = "file \(absolute) \(size) \(Int(modified))"
        } else {
            modelPath = installation.modelPath
            modelIdentity = "sha256 \(installation.modelSHA256)"
        }
    }

    /// The absolute path of a user's GGUF file, the one spelling every server record uses (so
    /// a persistent server started for it is found again); an error when it is not a file.
    /// The rule is the resolver's, so `local start` and a run spell a file the same way.
    public static func modelFilePath(_ modelFile: String) throws(LocalModelError) -> String {
        do { return try RunResolver.modelFilePath(modelFile) } catch { throw LocalModelError.noSuchModelFile(modelFile) }
    }

    var wire: OpenAIChatProvider { OpenAIChatProvider(endpoint: endpoint) }

    public func requestIdentity(_ request: ChatRequest) -> String? {
        "local \(modelIdentity) \(endpoint.route.rawValue)\n\(wire.body(request).serialized())"
    }

    /// Starts the server (or finds it running) and returns its base URL; front ends call it
    /// before a run to say what is happening, calls also do it on first need.
    @discardableResult
    public func prepare() async throws(ProviderError) -> String {
        do {
            return try await pool.server(installation: installation, modelPath: modelPath, slots: slots, home: home).baseURL
        } catch {
            throw .configuration(error.description)
        }
    }

    public func complete(_ request: ChatRequest) async throws -> ChatReply {
        let base = try await prepare()
        var live = endpoint
        live.baseURL = base + "/v1"
        return try await OpenAIChatProvider(endpoint: live).complete(request)
    }
}
