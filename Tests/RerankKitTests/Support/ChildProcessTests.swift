import Foundation
import Testing
import RerankKit
@testable import RerankProviders
#if canImport(Glibc)
import Glibc
#endif

/// The one spawner: every child starts with an empty signal mask and default dispositions,
/// whatever thread or task starts it (Foundation's Process passed on the pool thread's mask:
/// SIGCHLD, SIGTERM and SIGINT blocked, and cmake waited forever for its SIGCHLD).
@Suite struct ChildProcessTests {
    /// The ignored signals that count: the standard ones, 1 to 31. glibc's posix_spawn sets its
    /// two internal real-time signals (32, SIGCANCEL, and 33, SIGSETXID) to SIG_IGN in every
    /// child of a threaded program, by design: user code can neither handle nor reset them, and
    /// glibc in the child installs its own handlers when it needs them.
    static func ignoredStandardSignals(_ state: [String: String]) -> UInt64? {
        state["SigIgn"].flatMap { UInt64($0, radix: 16) }.map { $0 & 0x7FFF_FFFF }
    }

    static func signalState(_ text: String) -> [String: String] {
        var state: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("Sig") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { state[parts[0]] = parts[1] }
        }
        return state
    }

    @Test func aChildStartedFromATaskHasNoBlockedOrIgnoredSignals() async throws {
        // From a task on Swift's pool, the very situation in which Process leaked the mask.
        let exit = try await Task.detached {
            try await ChildProcess.run(ChildProcess.Command("/bin/cat", ["/proc/self/status"]))
        }.value
        #expect(exit.succeeded)
        let state = Self.signalState(exit.stdout)
        #expect(state["SigBlk"] == "0000000000000000", "\(state)")
        #expect(Self.ignoredStandardSignals(state) == 0, "\(state)")
    }

    @Test func helperCommandsOfTheLocalInstallStartClean() async throws {
        // ExternalCommand runs pip and python for `local install`; the silence watchdog puts
        // them in a group of their own, which must not change their signal state either.
        for limit in [nil, 600.0] {
            let outcome = try await ExternalCommand.run("/bin/cat", ["/proc/self/status"], silenceLimit: limit)
            let state = Self.signalState(outcome.output)
            #expect(state["SigBlk"] == "0000000000000000", "\(state)")
            #expect(Self.ignoredStandardSignals(state) == 0, "\(state)")
        }
    }

    @Test func outputStreamsByLineAndExitCodesAndSignalsAreReported() async throws {
        let lines = LockedLines()
        let exit = try await ChildProcess.run(ChildProcess.Command("/bin/sh", ["-c", "echo one; echo two >&2; printf three; exit 3"])) {
            lines.append($0)
        }
        #expect(exit.code == 3 && exit.status == 3 && !exit.succeeded)
        #expect(exit.stdout == "one\nthree\n")
        #expect(exit.stderr == "two\n")
        #expect(lines.all.map(\.text).sorted() == ["one", "three", "two"])
        #expect(lines.all.first { $0.text == "two" }?.isError == true)

        let running = try await ChildProcess.start(ChildProcess.Command("/bin/sleep", ["30"], group: .own))
        running.signalGroup(SIGTERM)
        let ended = try await running.exit()
        #expect(ended.signal == SIGTERM && ended.status == 128 + SIGTERM)
    }

    @Test func standardInputIsGivenAndDescriptorsAreNotInherited() async throws {
        let exit = try await ChildProcess.run(ChildProcess.Command("/bin/sh", ["-c", "cat; ls /proc/self/fd"], streams: .captured(stdin: "hello\n")))
        let lines = exit.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "hello")
        // 0, 1, 2 and the descriptor ls opens to read the folder: nothing of ours leaks in.
        #expect(lines.dropFirst().count <= 4, "\(lines)")
    }

    @Test func aMissingProgramIsAClearError() async throws {
        await #expect(throws: ChildProcess.StartError.self) {
            _ = try await ChildProcess.start(ChildProcess.Command("/nonexistent/program"))
        }
    }

    @Test func aSilentProgramIsStoppedWithItsGroup() async throws {
        // `local install` stops a pip that prints nothing for its limit; here, 1 s.
        let began = Date()
        let outcome = try await ExternalCommand.run("/bin/sh", ["-c", "echo started; sleep 600 & sleep 600"], silenceLimit: 1)
        #expect(outcome.silentFor != nil)
        #expect(outcome.tail == ["started"])
        // Not stopped, it would run 600 s. The bound is loose because the full suite keeps
        // both cores and the 2-thread task pool busy: a resumed task can wait tens of seconds.
        #expect(Date().timeIntervalSince(began) < 300)
    }

    @Test func cancellingTheCallerStopsTheChild() async throws {
        let task = Task { try await ChildProcess.run(ChildProcess.Command("/bin/sleep", ["600"])) }
        try await Task.sleep(nanoseconds: 200_000_000)
        let began = Date()
        task.cancel()
        let exit = try await task.value
        #expect(exit.signal == SIGTERM)
        // Left alone, the child would sleep 600 s; the loose bound absorbs a busy task pool.
        #expect(Date().timeIntervalSince(began) < 300)
    }
}

private final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [ChildProcess.Line] = []
    func append(_ line: ChildProcess.Line) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [ChildProcess.Line] { lock.lock(); defer { lock.unlock() }; return lines }
}
