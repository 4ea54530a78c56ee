import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts and stops `llama-server` for a model home.
///
/// The server is launched by a small `sh` watchdog that kills it as soon as the owning process
/// is gone, however that process ends (normal exit, Ctrl-C, a crash, `kill -9`): no orphaned
/// servers. A persistent server (`rerank-eval local start`) has no owner and runs until
/// `rerank-eval local stop`.
public enum LocalServer {
    /// How long loading a model may take before the start is called failed.
    static let startTimeout: Double = 120

    /// The launcher. The server runs at a lower CPU priority (nice 10), so the program that uses
    /// it (the workbench's screen, the runner) stays responsive on a machine whose every core the
    /// model keeps busy.
    static let watchdog = """
        owner=$1; log=$2; shift 2
        nice -n 10 "$@" >>"$log" 2>&1 </dev/null &
        srv=$!
        echo "$srv"
        [ "$owner" = 0 ] && exit 0
        trap 'kill "$srv" 2>/dev/null; exit 0' TERM INT HUP
        while kill -0 "$owner" 2>/dev/null; do sleep 0.5; done
        kill "$srv" 2>/dev/null; sleep 1; kill -9 "$srv" 2>/dev/null
        """

    /// Starts a server for `modelPath` on a free loopback port and waits until it answers
    /// `/health`. `slots` parallel sequences share a context of 4096 tokens each.
    public static func start(installation: LocalInstallation, modelPath: String, slots: Int, persistent: Bool,
                             home: LocalModelHome) async throws(LocalModelError) -> LocalServerRecord {
        guard FileManager.default.isExecutableFile(atPath: installation.serverPath) else {
            throw LocalModelError.notInstalled(home)
        }
        let slots = max(1, min(slots, 16))
        var lastError = LocalModelError("llama-server did not start")
        // A port found free can be taken before the server binds it; try a few.
        for _ in 0..<3 {
            guard let port = freePort() else { throw LocalModelError("no free loopback port for llama-server") }
            do {
                return try await launch(installation: installation, modelPath: modelPath, slots: slots, port: port,
                                        persistent: persistent, home: home)
            } catch {
                lastError = error
                if !error.message.contains("address already in use") && !error.message.contains("bind") { throw error }
            }
        }
        throw lastError
    }

    private static func launch(installation: LocalInstallation, modelPath: String, slots: Int, port: Int, persistent: Bool,
                               home: LocalModelHome) async throws(LocalModelError) -> LocalServerRecord {
        do {
            try FileManager.default.createDirectory(atPath: home.serversDirectory, withIntermediateDirectories: true)
        } catch {
            throw LocalModelError("cannot create \(home.serversDirectory): \(error.localizedDescription)")
        }
        let log = LocalServerRecord.logFile(home, port: port)
        try? Data().write(to: URL(fileURLWithPath: log))
        let owner = persistent ? 0 : getpid()
        var command = ["/bin/sh", "-c", watchdog, "sh", String(owner), log,
                       installation.serverPath, "-m", modelPath, "--host", "127.0.0.1", "--port", String(port),
                       "-c", String(4096 * slots), "-np", String(slots),
                       // llama-server keeps up to 8 GiB of old prompts in RAM by default (seen at
                       // 4.3 GB resident after 3000 calls); scoring prompts are cheap to redo.
                       "--cache-ram", "512"]
        // A persistent server leaves the terminal's session, so closing the terminal does not stop it.
        if persistent, let setsid = ExternalCommand.which("setsid") { command.insert(setsid, at: 0) }
        var environment = ProcessInfo.processInfo.environment
        environment["LD_LIBRARY_PATH"] = [installation.libraryDirectory, environment["LD_LIBRARY_PATH"]].compactMap { $0 }.joined(separator: ":")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        // Foundation's Process hands every open descriptor to the child: the server must not
        // hold our sockets and files (a store, the terminal, connections) for its whole life.
        ChildProcesses.closeDescriptorsOnExec()
        do {
            try process.run()
        } catch {
            throw LocalModelError("cannot start llama-server: \(error.localizedDescription)")
        }
        // A blocking read, so off Swift's cooperative threads.
        let firstLine = await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            DispatchQueue.global().async {
                var data = Data()
                let handle = pipe.fileHandleForReading
                while !data.contains(10) {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    data.append(chunk)
                }
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
        guard let pid = Int32(firstLine.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw LocalModelError("cannot start llama-server (the launcher printed '\(firstLine)')")
        }
        let record = LocalServerRecord(pid: pid, port: port, modelPath: modelPath, owner: owner, slots: slots,
                                       startedAt: ISO8601DateFormatter().string(from: Date()))
        try? record.write(to: home)
        let deadline = Date().addingTimeInterval(startTimeout)
        while Date() < deadline {
            if Task.isCancelled {
                await stop(record, home: home)
                throw LocalModelError("cancelled while llama-server was loading the model")
            }
            guard LocalServerRecord.processIsAlive(pid) else {
                // The log stays for the user to read; only the record goes.
                try? FileManager.default.removeItem(atPath: LocalServerRecord.file(home, port: port))
                throw LocalModelError("llama-server exited while starting: \(logTail(log)) (log: \(log))")
            }
            if await HTTPExchange.status(ofGet: record.baseURL + "/health", timeout: 1) == 200 { return record }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
        await stop(record, home: home)
        throw LocalModelError("llama-server did not answer /health within \(Int(startTimeout)) s (log: \(log))")
    }

    /// Stops a server: SIGTERM, then SIGKILL if it is still there after a second. (llama-server
    /// waits out its 5 s keep-alive timeout on open client connections before exiting on
    /// SIGTERM; it holds nothing worth saving, so the program need not wait that long.)
    /// Blocks the calling thread for up to 3 s: for exit paths and signal handlers. From a
    /// Swift task use `stop(_:home:) async`, which sleeps without holding a thread.
    public static func stop(_ record: LocalServerRecord, home: LocalModelHome) {
        var stopping = Stopping(pid: record.pid)
        while let wait = stopping.next() { usleep(UInt32(wait * 1_000_000)) }
        record.remove(from: home)
    }

    /// Stops a server as `stop(_:home:)` does, suspending instead of blocking while it waits.
    public static func stop(_ record: LocalServerRecord, home: LocalModelHome) async {
        var stopping = Stopping(pid: record.pid)
        while let wait = stopping.next() { try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000)) }
        record.remove(from: home)
    }

    /// The steps of stopping one process, for a blocking and a suspending caller alike: each
    /// `next()` sends what is due and says how long to wait before asking again (nil: done).
    struct Stopping {
        let pid: Int32
        private var termDeadline: Date?
        private var killDeadline: Date?

        init(pid: Int32) { self.pid = pid }

        mutating func next() -> Double? {
            guard LocalServerRecord.processIsAlive(pid) else { return nil }
            let now = Date()
            guard let termDeadline else {
                kill(pid, SIGTERM)
                self.termDeadline = now.addingTimeInterval(1)
                return 0.02
            }
            if now < termDeadline { return 0.02 }
            guard let killDeadline else {
                kill(pid, SIGKILL)
                // Gone means gone when this returns: the kernel takes a moment to end a big process.
                self.killDeadline = now.addingTimeInterval(2)
                return 0.01
            }
            return now < killDeadline ? 0.01 : nil
        }
    }

    static func logTail(_ path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        let errors = lines.filter { $0.lowercased().contains("error") || $0.lowercased().contains("failed") }
        return (errors.isEmpty ? lines.suffix(2) : errors.suffix(2)).joined(separator: " | ")
    }

    /// A loopback port nobody listens on right now (bound to port 0, read back, closed).
    static func freePort() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { return nil }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { return nil }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
