import RerankCore
import Foundation
import Synchronization

/// The servers this process uses, one per model file: started on first need (or a persistent
/// one reused), shared by every call, stopped by `stopAll()` when the program ends. The
/// launcher's watchdog stops them too if the program dies without calling it.
public final class LocalServerPool: Sendable {
    public static let shared = LocalServerPool()

    private let starting = Mutex<[String: Task<LocalServerRecord, any Error>]>([:])
    private let started = Mutex<[(LocalServerRecord, LocalModelHome)]>([])
    private let reporter = Mutex<(@Sendable (String) -> Void)?>(nil)

    public init() {}

    /// Where to say that a server is starting and when it is ready (front ends print it).
    public func report(to reporter: (@Sendable (String) -> Void)?) {
        self.reporter.withLock { $0 = reporter }
    }

    private func say(_ text: String) {
        let reporter = self.reporter.withLock { $0 }
        reporter?(text)
    }

    /// The base URL of a healthy server for `modelPath`, starting one if needed.
    public func server(installation: LocalInstallation, modelPath: String, slots: Int,
                       home: LocalModelHome) async throws(LocalModelError) -> LocalServerRecord {
        let task = starting.withLock { tasks -> Task<LocalServerRecord, any Error> in
            if let existing = tasks[modelPath] { return existing }
            let task = Task { () async throws -> LocalServerRecord in
                if let reusable = LocalServerRecord.live(in: home).first(where: { $0.isPersistent && $0.modelPath == modelPath }),
                   await HTTPExchange.status(ofGet: reusable.baseURL + "/health", timeout: 2) == 200 {
                    return reusable
                }
                let name = (modelPath as NSString).lastPathComponent
                self.say("starting llama-server with \(name) (\(slots) slot\(slots == 1 ? "" : "s"))")
                let began = Date()
                let record = try await LocalServer.start(installation: installation, modelPath: modelPath, slots: slots,
                                                         persistent: false, home: home)
                self.started.withLock { $0.append((record, home)) }
                self.say("llama-server ready at \(record.baseURL) in \(Date().timeIntervalSince(began).formatted(decimals: 1)) s (pid \(record.pid); stopped when this program ends)")
                return record
            }
            tasks[modelPath] = task
            return task
        }
        do {
            return try await task.value
        } catch {
            // A failed start is not cached: the next call may try again (after an install, say).
            starting.withLock { $0[modelPath] = nil }
            if let error = error as? LocalModelError { throw error }
            throw LocalModelError(.serverNotStarted, "llama-server did not start: \(error)")
        }
    }

    /// Servers started by this process and still running.
    public var running: [LocalServerRecord] {
        started.withLock { $0.map(\.0) }.filter { LocalServerRecord.processIsAlive($0.pid) }
    }

    /// Stops every server this process started (not reused persistent ones). Safe to call more
    /// than once and from exit paths.
    public func stopAll() {
        let servers = started.withLock { list -> [(LocalServerRecord, LocalModelHome)] in
            defer { list.removeAll() }
            return list
        }
        starting.withLock { $0.removeAll() }
        for (record, home) in servers {
            switch LocalServer.stop(record, home: home) {
            case .alreadyGone: say("llama-server (pid \(record.pid)) had already stopped")
            case let .answeredTerm(seconds): say("stopped llama-server (pid \(record.pid)) in \(seconds.formatted(decimals: 1)) s")
            case .killed: say("llama-server (pid \(record.pid)) did not answer SIGTERM within \(Int(LocalServer.termGrace)) s and was killed")
            }
        }
    }
}
