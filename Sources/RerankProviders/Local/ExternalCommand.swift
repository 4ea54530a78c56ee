import RerankCore
import RerankProcess
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs a helper program (python, pip) through `ChildProcess` and streams its output by line.
enum ExternalCommand {
    struct Outcome {
        var status: Int32
        /// The last lines of stdout and stderr together, for error messages.
        var tail: [String]
        var output: String
        /// Set when the program printed nothing for `silenceLimit` seconds and was stopped.
        var silentFor: Double?
    }

    /// Searches `PATH` for an executable, as a shell would.
    static func which(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        ChildProcess.which(name, environment: environment)
    }

    /// Runs to completion; `onLine` sees each output line as it comes. With `silenceLimit`, a
    /// program that prints nothing for that long is stopped with its whole process group (pip
    /// and the cmake and compilers it started), and the outcome says so.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                    silenceLimit: Double? = nil, onLine: (@Sendable (String) -> Void)? = nil) async throws -> Outcome {
        let running = try await ChildProcess.start(ChildProcess.Command(executable, arguments, environment: environment,
                                                                       group: silenceLimit == nil ? .inherit : .own))
        let silence = SilenceWatch()
        let watchdog: Task<Void, Never>? = silenceLimit.map { limit in
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: 1_000_000_000)
                    let quiet = silence.quietFor()
                    if quiet >= limit {
                        silence.stopped(after: quiet)
                        running.signalGroup(SIGTERM)
                        try? await Task.sleep(nanoseconds: 5_000_000_000)
                        running.signalGroup(SIGKILL)
                        return
                    }
                }
            }
        }
        defer { watchdog?.cancel() }
        var tail: [String] = []
        var all = ""
        let exit = try await withTaskCancellationHandler {
            for await line in running.lines {
                silence.heard()
                all += line.text + "\n"
                if line.text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                tail.append(line.text)
                if tail.count > 12 { tail.removeFirst() }
                onLine?(line.text)
            }
            return try await running.exit()
        } onCancel: {
            running.signalGroup(SIGTERM)
        }
        return Outcome(status: exit.status, tail: tail, output: all, silentFor: silence.stoppedAfter)
    }
}

/// When a child last printed, and whether it was stopped for printing nothing.
private final class SilenceWatch: Sendable {
    private let state = Mutex<(last: Date, stoppedAfter: Double?)>((Date(), nil))

    func heard() { state.withLock { $0.last = Date() } }
    func quietFor() -> Double { Date().timeIntervalSince(state.withLock { $0.last }) }
    func stopped(after seconds: Double) { state.withLock { $0.stoppedAfter = seconds } }
    var stoppedAfter: Double? { state.withLock { $0.stoppedAfter } }
}
