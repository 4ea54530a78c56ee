import Foundation
import RerankKit
#if canImport(Glibc)
import Glibc
#endif

/// Runs the user's `$EDITOR` on a file, in the foreground of the terminal the workbench left.
///
/// The editor joins our process group, which owns the terminal, so it can read keys and set
/// modes (a child in a session of its own, as Foundation's `Process` made it, has no terminal:
/// vi then gave up and its terminal query reached the workbench as typed text). While it runs
/// the workbench ignores SIGINT and SIGQUIT, as `system()` does, so a Ctrl-C meant for the
/// editor does not end the workbench; the editor itself starts with default dispositions.
enum ExternalEditor {
    enum Outcome {
        case edited
        case failed(String)
    }

    /// Blocks the calling (main) thread until the editor exits; the child is started and
    /// awaited on Swift's pool.
    static func edit(_ path: String, with editor: String, environment: [String: String]) -> Outcome {
        var ignore = sigaction()
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        var oldInterrupt = sigaction(), oldQuit = sigaction()
        sigaction(SIGINT, &ignore, &oldInterrupt)
        sigaction(SIGQUIT, &ignore, &oldQuit)
        defer {
            sigaction(SIGINT, &oldInterrupt, nil)
            sigaction(SIGQUIT, &oldQuit, nil)
        }
        let done = DispatchSemaphore(value: 0)
        let result = LockedOutcome()
        Task.detached {
            do {
                // Through sh, so an EDITOR with arguments ("code --wait") works as in a shell;
                // exec, so the editor replaces the shell instead of running under it (one process
                // in the foreground, its exit status ours).
                let exit = try await ChildProcess.run(ChildProcess.Command(
                    "/bin/sh", ["-c", "exec " + editor + " \"$1\"", "sh", path], environment: environment, streams: .terminal))
                if exit.succeeded {
                    result.set(.edited)
                } else if exit.code == 127 {
                    result.set(.failed("not found (set EDITOR or VISUAL to an installed editor)"))
                } else if let signal = exit.signal {
                    result.set(.failed("ended by signal \(signal)"))
                } else {
                    result.set(.failed("exited with status \(exit.status)"))
                }
            } catch {
                result.set(.failed("\(error)"))
            }
            done.signal()
        }
        done.wait()
        return result.get()
    }

    private final class LockedOutcome: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Outcome = .failed("did not run")
        func set(_ v: Outcome) { lock.lock(); value = v; lock.unlock() }
        func get() -> Outcome { lock.lock(); defer { lock.unlock() }; return value }
    }
}
