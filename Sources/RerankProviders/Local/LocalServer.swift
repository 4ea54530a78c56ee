import RerankCore
import RerankProcess
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts and stops `llama-server` for a model home.
///
/// The server is launched by a small `sh` watchdog that kills it as soon as the owning process
/// is gone, however that process ends (normal exit, Ctrl-C, a crash, `kill -9`): no orphaned
/// servers. A persistent server (started on its own, outside a run) has no owner and runs until
/// it is stopped.
public enum LocalServer {
    /// How long loading a model may take before the start is called failed.
    static let startTimeout: Double = 120

    /// The owner's watchdog: stops the server as soon as the owning process is gone, however it
    /// ends (exit, Ctrl-C, a crash, `kill -9`). SIGTERM first; SIGKILL only if the server is
    /// still there well after its 5 s keep-alive wait, as a safety net.
    static let ownerWatch = """
        owner=$1; srv=$2
        trap 'kill "$srv" 2>/dev/null; exit 0' TERM INT HUP
        while kill -0 "$owner" 2>/dev/null && kill -0 "$srv" 2>/dev/null; do sleep 0.5; done
        kill "$srv" 2>/dev/null || exit 0
        n=0; while kill -0 "$srv" 2>/dev/null && [ $n -lt 20 ]; do sleep 0.5; n=$((n+1)); done
        kill -9 "$srv" 2>/dev/null
        exit 0
        """

    /// Starts a server for `modelPath` on a free loopback port and waits until it answers
    /// `/health`. `slots` parallel sequences share a context of 4096 tokens each.
    public static func start(installation: LocalInstallation, modelPath: String, slots: Int, persistent: Bool,
                             home: LocalModelHome) async throws(LocalModelError) -> LocalServerRecord {
        guard FileManager.default.isExecutableFile(atPath: installation.serverPath) else {
            throw LocalModelError.notInstalled(home)
        }
        let slots = clampedSlots(slots)
        var lastError = LocalModelError(.serverNotStarted, "llama-server did not start")
        // A port found free can be taken before the server binds it; try a few.
        for _ in 0..<3 {
            guard let port = freePort() else { throw LocalModelError(.noFreePort, "no free loopback port for llama-server") }
            do {
                return try await launch(installation: installation, modelPath: modelPath, slots: slots, port: port,
                                        persistent: persistent, home: home)
            } catch {
                lastError = error
                if error.code != .portInUse { throw error }
            }
        }
        throw lastError
    }

    /// The slots a server gets for `slots` asked: 1 to 16.
    static func clampedSlots(_ slots: Int) -> Int { max(1, min(slots, 16)) }

    /// `LD_LIBRARY_PATH` with llama.cpp's shared libraries first, then whatever was inherited.
    /// An empty inherited value adds nothing: an empty entry would mean the current directory.
    static func libraryPath(_ directory: String, inherited: String?) -> String {
        [directory, inherited].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ":")
    }

    /// The command that runs llama-server for `modelPath` on a loopback `port`, with `slots`
    /// parallel sequences sharing a context of 4096 tokens each.
    ///
    /// With `nice` (its path, when found), the server runs at a lower CPU priority (nice 10,
    /// which execs it: same pid), so the program that uses it (the workbench's screen, the
    /// runner) stays responsive on a machine whose every core the model keeps busy.
    static func serverCommand(serverPath: String, modelPath: String, port: Int, slots: Int,
                              nice: String?) -> (executable: String, arguments: [String]) {
        let arguments = ["-m", modelPath, "--host", "127.0.0.1", "--port", String(port),
                         "-c", String(4096 * slots), "-np", String(slots),
                         // llama-server keeps up to 8 GiB of old prompts in RAM by default (seen at
                         // 4.3 GB resident after 3000 calls); scoring prompts are cheap to redo.
                         "--cache-ram", "512"]
        guard let nice else { return (serverPath, arguments) }
        return (nice, ["-n", "10", serverPath] + arguments)
    }

    private static func launch(installation: LocalInstallation, modelPath: String, slots: Int, port: Int, persistent: Bool,
                               home: LocalModelHome) async throws(LocalModelError) -> LocalServerRecord {
        do {
            try FileManager.default.createDirectory(atPath: home.serversDirectory, withIntermediateDirectories: true)
        } catch {
            throw LocalModelError(.cannotWrite, "cannot create \(home.serversDirectory): \(error.localizedDescription)")
        }
        let log = LocalServerRecord.logFile(home, port: port)
        try? Data().write(to: URL(fileURLWithPath: log))
        let owner = persistent ? 0 : getpid()
        var environment = ProcessInfo.processInfo.environment
        environment["LD_LIBRARY_PATH"] = libraryPath(installation.libraryDirectory, inherited: environment["LD_LIBRARY_PATH"])
        // Its own process group keeps the terminal's Ctrl-C to us: we stop it after recording the
        // run. A persistent server gets a session of its own, so closing the terminal does not
        // stop it either.
        let command = serverCommand(serverPath: installation.serverPath, modelPath: modelPath, port: port, slots: slots,
                                    nice: ChildProcess.which("nice", environment: environment))
        let server: ChildProcess.Running
        do {
            server = try await ChildProcess.start(ChildProcess.Command(
                command.executable, command.arguments,
                environment: environment, streams: .appendingTo(log), group: persistent ? .session : .own))
        } catch {
            throw LocalModelError(.serverNotStarted, "cannot start llama-server: \(error)")
        }
        let pid = server.pid
        if !persistent, let sh = ChildProcess.which("sh", environment: environment) {
            _ = try? await ChildProcess.start(ChildProcess.Command(sh, ["-c", ownerWatch, "sh", String(owner), String(pid)],
                                                                  environment: environment, group: .own))
        }
        let record = LocalServerRecord(pid: pid, port: port, modelPath: modelPath, owner: owner, slots: slots,
                                       startedAt: ISO8601DateFormatter().string(from: Date()))
        try? record.write(to: home)
        let deadline = Date().addingTimeInterval(startTimeout)
        while Date() < deadline {
            if Task.isCancelled {
                await stop(record, home: home)
                throw LocalModelError(.cancelled, "cancelled while llama-server was loading the model")
            }
            guard LocalServerRecord.processIsAlive(pid) else {
                // The log stays for the user to read; only the record goes.
                try? FileManager.default.removeItem(atPath: LocalServerRecord.file(home, port: port))
                throw exited(log: log)
            }
            if await HTTPExchange.status(ofGet: record.baseURL + "/health", timeout: 1) == 200 { return record }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
        await stop(record, home: home)
        throw LocalModelError(.serverNotAnswering, "llama-server did not answer /health within \(Int(startTimeout)) s (log: \(log))")
    }

    /// How a stop went.
    public enum StopOutcome: Sendable, Equatable {
        /// It was already gone.
        case alreadyGone
        /// It answered SIGTERM and exited after this many seconds.
        case answeredTerm(Double)
        /// It was still running `termGrace` seconds after SIGTERM and was killed.
        case killed
    }

    /// How long a server has to answer SIGTERM. llama-server waits out its 5 s keep-alive on
    /// open client connections before it exits, so this covers that; SIGKILL after it is only a
    /// safety net.
    static let termGrace: Double = 8

    /// Stops a server: SIGTERM, and SIGKILL only if it is still there `termGrace` seconds later.
    /// Blocks the calling thread while it waits: for exit paths and signal handlers. From a
    /// Swift task use `stop(_:home:) async`, which sleeps without holding a thread.
    @discardableResult
    public static func stop(_ record: LocalServerRecord, home: LocalModelHome) -> StopOutcome {
        var stopping = Stopping(pid: record.pid)
        while let wait = stopping.next() { usleep(UInt32(wait * 1_000_000)) }
        record.remove(from: home)
        return stopping.outcome
    }

    /// Stops a server as `stop(_:home:)` does, suspending instead of blocking while it waits.
    @discardableResult
    public static func stop(_ record: LocalServerRecord, home: LocalModelHome) async -> StopOutcome {
        var stopping = Stopping(pid: record.pid)
        while let wait = stopping.next() { try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000)) }
        record.remove(from: home)
        return stopping.outcome
    }

    /// The steps of stopping one process, for a blocking and a suspending caller alike: each
    /// `next()` sends what is due and says how long to wait before asking again (nil: done).
    struct Stopping {
        let pid: Int32
        let grace: Double
        private var termSent: Date?
        private var killDeadline: Date?
        private(set) var outcome = StopOutcome.alreadyGone

        init(pid: Int32, grace: Double = LocalServer.termGrace) {
            self.pid = pid
            self.grace = grace
        }

        mutating func next() -> Double? {
            let now = Date()
            guard LocalServerRecord.processIsAlive(pid) else {
                if let termSent, killDeadline == nil { outcome = .answeredTerm(now.timeIntervalSince(termSent)) }
                return nil
            }
            guard let termSent else {
                kill(pid, SIGTERM)
                self.termSent = now
                return 0.02
            }
            if now < termSent.addingTimeInterval(grace) { return 0.02 }
            guard let killDeadline else {
                kill(pid, SIGKILL)
                outcome = .killed
                // Gone means gone when this returns: the kernel takes a moment to end a big process.
                self.killDeadline = now.addingTimeInterval(2)
                return 0.01
            }
            return now < killDeadline ? 0.01 : nil
        }
    }

    /// The error for a server that exited while starting, read from its log: a port taken
    /// between finding it free and binding it is `portInUse` (the caller tries another port).
    static func exited(log: String) -> LocalModelError {
        let tail = logTail(log)
        let lower = tail.lowercased()
        let code: LocalModelError.Code = lower.contains("address already in use") || lower.contains("bind") ? .portInUse : .serverExited
        return LocalModelError(code, "llama-server exited while starting: \(tail) (log: \(log))")
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
