import Foundation
import Subprocess
import Synchronization
#if canImport(System)
import System
#else
import SystemPackage
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The one way RerankBench starts another program (pip, python, the llama-server launcher,
/// `$EDITOR`, and the test suite's own runs of our executables).
///
/// Why not Foundation's `Process`: on Linux it spawns without resetting the signal mask, and the
/// threads of Swift's cooperative pool block nearly every signal, so a child started from a task
/// inherited SIGCHLD, SIGTERM and SIGINT blocked (cmake waited forever for a SIGCHLD that never
/// came; llama-server ignored SIGTERM). It also starts every child in a new session, which
/// takes the terminal away from an editor. swift-subprocess spawns with
/// `POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF` (an empty mask, default dispositions),
/// creates its pipes close-on-exec, closes every other descriptor in the child, and waits
/// through a pidfd without holding a thread of the pool.
public enum ChildProcess {
    /// Which process group the child joins.
    public enum Group: Sendable {
        /// Ours: a Ctrl-C at the terminal reaches it too (an editor, a short helper).
        case inherit
        /// A group of its own, led by the child: the terminal's signals do not reach it, and
        /// `Running.signalGroup` reaches it and everything it starts (pip's cmake and compilers).
        case own
        /// A new session: no controlling terminal at all (a server that outlives us).
        case session
    }

    /// Where the child's standard streams go.
    public enum Streams: Sendable {
        /// stdin from `text` (nil: the null device); stdout and stderr captured and streamed by line.
        case captured(stdin: String?)
        /// The caller's own terminal (stdin, stdout, stderr): for an editor in the foreground.
        case terminal
        /// stdin from the null device; stdout and stderr appended to the file at this path.
        case appendingTo(String)
    }

    /// One line a child printed, and on which stream.
    public struct Line: Sendable {
        public var text: String
        public var isError: Bool
    }

    /// How a child ended, with what it printed (empty for `.terminal`).
    public struct Exit: Sendable {
        /// The exit code, or nil when a signal ended it.
        public var code: Int32?
        /// The signal that ended it, if one did.
        public var signal: Int32?
        public var stdout: String
        public var stderr: String

        /// A shell's `$?`: the code, or 128 plus the signal.
        public var status: Int32 { code ?? (128 + (signal ?? 0)) }
        public var succeeded: Bool { code == 0 }
    }

    /// What to start.
    public struct Command: Sendable {
        public var executable: String
        public var arguments: [String]
        /// The whole environment of the child; nil inherits ours.
        public var environment: [String: String]?
        public var directory: String?
        public var streams: Streams
        public var group: Group

        public init(_ executable: String, _ arguments: [String] = [], environment: [String: String]? = nil,
                    directory: String? = nil, streams: Streams = .captured(stdin: nil), group: Group = .inherit) {
            self.executable = executable
            self.arguments = arguments
            self.environment = environment
            self.directory = directory
            self.streams = streams
            self.group = group
        }
    }

    /// Why a child could not be started.
    public struct StartError: Error, CustomStringConvertible, Sendable {
        public var executable: String
        public var reason: String
        public var description: String { "cannot start \(executable): \(reason)" }
    }

    /// A started child: its pid, its output as it comes, and its end.
    public final class Running: Sendable {
        public let pid: Int32
        public let command: Command
        /// Every line of stdout and stderr, as printed; finishes when both streams close.
        public let lines: AsyncStream<Line>
        private let outcome: Task<Exit, any Error>

        fileprivate init(pid: Int32, command: Command, lines: AsyncStream<Line>, outcome: Task<Exit, any Error>) {
            self.pid = pid
            self.command = command
            self.lines = lines
            self.outcome = outcome
        }

        /// Waits (suspending, never blocking a thread) until the child has ended and both of its
        /// streams are read to the end.
        public func exit() async throws -> Exit { try await outcome.value }

        /// Sends `signal` to the child.
        public func signal(_ signal: Int32) { _ = kill(pid, signal) }

        /// Sends `signal` to the child's whole group when it leads one (`.own`, `.session`), so
        /// that what it started goes too; otherwise to the child alone.
        public func signalGroup(_ signal: Int32) {
            switch command.group {
            case .inherit: _ = kill(pid, signal)
            case .own, .session: _ = kill(-pid, signal)
            }
        }
    }

    /// Starts `command` and returns once the child exists.
    public static func start(_ command: Command) async throws(StartError) -> Running {
        let (lines, sink) = AsyncStream<Line>.makeStream(bufferingPolicy: .unbounded)
        let pidSink = OneShot<Result<Int32, StartError>>()
        let configuration = Configuration(
            executable: .path(FilePath(command.executable)),
            arguments: Arguments(command.arguments),
            environment: command.environment.map { .custom(Dictionary(uniqueKeysWithValues: $0.map { (Environment.Key(stringLiteral: $0.key), $0.value) })) } ?? .inherit,
            workingDirectory: command.directory.map { FilePath($0) },
            platformOptions: platformOptions(command.group))
        // An unstructured task: the child's life is not tied to the caller's task, so a
        // cancelled caller decides itself what the child is sent (see `run`).
        let outcome = Task<Exit, any Error> {
            do {
                switch command.streams {
                case let .captured(stdin):
                    return try await runCaptured(configuration, stdin: stdin, pidSink: pidSink, sink: sink)
                case .terminal:
                    sink.finish()
                    let result = try await Subprocess.run(configuration, input: .currentStandardInput,
                                                          output: .currentStandardOutput, error: .currentStandardError) { execution in
                        pidSink.yield(.success(execution.processIdentifier.value))
                    }
                    return exit(result.terminationStatus, stdout: "", stderr: "")
                case let .appendingTo(path):
                    sink.finish()
                    let log = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.append, .create, .closeOnExec],
                                                      permissions: [.ownerReadWrite, .groupRead, .otherRead])
                    let result = try await Subprocess.run(configuration, input: .none,
                                                          output: .fileDescriptor(log, closeAfterSpawningProcess: true),
                                                          error: .combinedWithOutput) { execution in
                        pidSink.yield(.success(execution.processIdentifier.value))
                    }
                    return exit(result.terminationStatus, stdout: "", stderr: "")
                }
            } catch {
                sink.finish()
                pidSink.yield(.failure(StartError(executable: command.executable, reason: describe(error))))
                throw error
            }
        }
        // Not cancellable on purpose: once spawned, the child exists and the caller must get
        // its handle (a cancelled caller then stops it; see `run`).
        switch await pidSink.value() {
        case let .success(pid): return Running(pid: pid, command: command, lines: lines, outcome: outcome)
        case let .failure(error): throw error
        }
    }

    /// Runs `command` to its end; `onLine` sees each output line as it comes. Cancelling the
    /// calling task sends SIGTERM to the child's group (its group of one with `.inherit`).
    public static func run(_ command: Command, onLine: (@Sendable (Line) -> Void)? = nil) async throws -> Exit {
        let running = try await start(command)
        return try await withTaskCancellationHandler {
            for await line in running.lines { onLine?(line) }
            return try await running.exit()
        } onCancel: {
            running.signalGroup(SIGTERM)
        }
    }

    private static func runCaptured(_ configuration: Configuration, stdin: String?,
                                    pidSink: OneShot<Result<Int32, StartError>>,
                                    sink: AsyncStream<Line>.Continuation) async throws -> Exit {
        let result = try await Subprocess.run(configuration, input: .string(stdin ?? ""), output: .sequence, error: .sequence) { execution in
            pidSink.yield(.success(execution.processIdentifier.value))
            return try await withThrowingTaskGroup(of: (Bool, String).self) { group in
                for isError in [false, true] {
                    let stream = isError ? execution.standardError : execution.standardOutput
                    group.addTask {
                        var all = ""
                        for try await line in stream.strings(separatedBy: .lineBreaks, bufferingPolicy: .maxLineLength(4 << 20)) {
                            all += line + "\n"
                            sink.yield(Line(text: line, isError: isError))
                        }
                        return (isError, all)
                    }
                }
                var out = "", err = ""
                for try await (isError, text) in group { if isError { err = text } else { out = text } }
                sink.finish()
                return (out, err)
            }
        }
        return exit(result.terminationStatus, stdout: result.closureResult.0, stderr: result.closureResult.1)
    }

    private static func platformOptions(_ group: Group) -> PlatformOptions {
        var options = PlatformOptions()
        switch group {
        case .inherit: break
        case .own: options.processGroupID = 0
        case .session: options.createSession = true
        }
        return options
    }

    private static func exit(_ status: TerminationStatus, stdout: String, stderr: String) -> Exit {
        switch status {
        case let .exited(code): return Exit(code: code, signal: nil, stdout: stdout, stderr: stderr)
        case let .signaled(signal): return Exit(code: nil, signal: signal, stdout: stdout, stderr: stderr)
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? SubprocessError {
            if let underlying = error.underlyingError { return "\(error) (\(underlying))" }
            return "\(error)"
        }
        return "\(error)"
    }

    /// A value set once and awaited once, whatever the awaiting task's cancellation.
    final class OneShot<Value: Sendable>: Sendable {
        private let state = Mutex<(value: Value?, waiter: CheckedContinuation<Value, Never>?)>((nil, nil))

        func yield(_ value: Value) {
            let waiter = state.withLock { s -> CheckedContinuation<Value, Never>? in
                guard s.value == nil else { return nil }
                s.value = value
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume(returning: value)
        }

        func value() async -> Value {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { s -> Value? in
                    if let v = s.value { return v }
                    s.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }

    /// Searches `PATH` for an executable, as a shell would.
    public static func which(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for dir in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = (String(dir) as NSString).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
