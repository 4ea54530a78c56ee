import RerankCore
import Foundation

/// What the local install left behind, read back from `install.json`: the server
/// binary, its shared libraries and the verified model.
public struct LocalInstallation: Codable, Sendable, Hashable {
    public var serverPath: String
    /// The folder holding llama.cpp's shared libraries (goes on `LD_LIBRARY_PATH`).
    public var libraryDirectory: String
    public var modelPath: String
    public var modelName: String
    public var modelBytes: Int64
    public var modelSHA256: String
    public var packages: [String]
    public var installedAt: String

    /// The installation in `home`, or nil when nothing usable is there (no manifest, or a file
    /// it names has gone).
    public static func load(from home: LocalModelHome) -> LocalInstallation? {
        guard let data = FileManager.default.contents(atPath: home.manifestPath),
              let manifest = try? JSONDecoder().decode(LocalInstallation.self, from: data) else { return nil }
        let fm = FileManager.default
        guard fm.isExecutableFile(atPath: manifest.serverPath), fm.fileExists(atPath: manifest.modelPath) else { return nil }
        return manifest
    }

    func write(to home: LocalModelHome) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: home.manifestPath), options: .atomic)
    }
}

/// The `local` provider's state, for `providers`, `local status` and the workbench.
public enum LocalModelState: Sendable, Equatable {
    case notInstalled
    case installed(LocalInstallation)
    case running(LocalInstallation, [LocalServerRecord])

    public static func current(home: LocalModelHome = .resolve()) -> LocalModelState {
        guard let installation = LocalInstallation.load(from: home) else { return .notInstalled }
        let servers = LocalServerRecord.live(in: home)
        return servers.isEmpty ? .installed(installation) : .running(installation, servers)
    }

    /// One line: "not installed", "installed, starts when used", "running at ...". What to do
    /// about it is `remedies`, worded by each front end.
    public var summary: String {
        switch self {
        case .notInstalled: return "not installed"
        case let .installed(i): return "installed (\(i.modelName)); the server starts when used"
        case let .running(_, servers): return "running at " + servers.map(\.baseURL).joined(separator: ", ")
        }
    }

    /// What to do about this state: install the model when it is not installed.
    public var remedies: [Remedy] { isInstalled ? [] : [.installLocalModel] }

    public var isInstalled: Bool {
        if case .notInstalled = self { return false }
        return true
    }
}
