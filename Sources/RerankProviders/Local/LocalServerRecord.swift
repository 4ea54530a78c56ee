import RerankCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A running `llama-server` started from a model home, as written to `servers/PORT.json`, so
/// other processes can see it (`local status`, `providers`) and reuse a persistent one.
public struct LocalServerRecord: Codable, Sendable, Hashable {
    public var pid: Int32
    public var port: Int
    public var modelPath: String
    /// The process whose exit stops this server; 0 for a persistent one (`local start`).
    public var owner: Int32
    public var slots: Int
    public var startedAt: String

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var isPersistent: Bool { owner == 0 }

    static func file(_ home: LocalModelHome, port: Int) -> String {
        (home.serversDirectory as NSString).appendingPathComponent("\(port).json")
    }

    static func logFile(_ home: LocalModelHome, port: Int) -> String {
        (home.serversDirectory as NSString).appendingPathComponent("\(port).log")
    }

    func write(to home: LocalModelHome) throws {
        try FileManager.default.createDirectory(atPath: home.serversDirectory, withIntermediateDirectories: true)
        try JSONEncoder().encode(self).write(to: URL(fileURLWithPath: Self.file(home, port: port)), options: .atomic)
    }

    /// Forgets a stopped server: its record and its log.
    func remove(from home: LocalModelHome) {
        try? FileManager.default.removeItem(atPath: Self.file(home, port: port))
        try? FileManager.default.removeItem(atPath: Self.logFile(home, port: port))
    }

    /// The servers whose process is alive; records of dead ones are removed on the way, and a
    /// server whose owner is gone (its watchdog was killed too, say by a signal to the whole
    /// process group) is stopped: nothing outlives the program that started it.
    public static func live(in home: LocalModelHome) -> [LocalServerRecord] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: home.serversDirectory) else { return [] }
        var records: [LocalServerRecord] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            let path = (home.serversDirectory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path),
                  let record = try? JSONDecoder().decode(LocalServerRecord.self, from: data) else { continue }
            if processIsAlive(record.pid), !record.isPersistent, !processIsAlive(record.owner) {
                kill(record.pid, SIGKILL)
            }
            if processIsAlive(record.pid) {
                records.append(record)
            } else {
                record.remove(from: home)
            }
        }
        return records
    }

    /// Alive and not a zombie: a server that exited stays a zombie until its launcher reaps
    /// it, and `kill(pid, 0)` still succeeds on a zombie.
    public static func processIsAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.range(of: ") ", options: .backwards) else { return true }
        let state = stat[close.upperBound...].first
        return state != "Z" && state != "X"
    }
}
