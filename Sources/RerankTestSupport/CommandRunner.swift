import Foundation
import RerankKit

/// Runs a built executable of this package and captures its output, for end-to-end tests.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public enum CommandRunner {
    /// The folder holding the built products (beside the test bundle).
    public static var productsDirectory: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0])
        var dir = bundle.deletingLastPathComponent()
        // On Linux the test runner is `<products>/RerankBenchPackageTests.xctest`.
        if dir.lastPathComponent.hasSuffix(".xctest") { dir.deleteLastPathComponent() }
        return dir
    }

    /// Runs `name` (a product of this package) with `arguments` in `directory`.
    public static func run(_ name: String, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String]? = nil, stdin: String? = nil) async throws -> CommandResult {
        try await run(executable: productsDirectory.appendingPathComponent(name), arguments, in: directory, environment: environment, stdin: stdin)
    }

    /// Runs any program; `/usr/bin/env` with the tool's name finds it on PATH. Through the
    /// product's own spawner, so tests start children exactly as the product does.
    public static func run(executable: URL, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String]? = nil, stdin: String? = nil) async throws -> CommandResult {
        let exit = try await ChildProcess.run(command(executable: executable, arguments, in: directory, environment: environment, stdin: stdin))
        return CommandResult(status: exit.status, stdout: exit.stdout, stderr: exit.stderr)
    }

    /// Starts `name` (a product of this package) and returns at once: for tests that signal or
    /// kill it, or read its output as it comes.
    public static func start(_ name: String, _ arguments: [String], in directory: String? = nil,
                             environment: [String: String]? = nil) async throws -> ChildProcess.Running {
        try await ChildProcess.start(command(executable: productsDirectory.appendingPathComponent(name), arguments,
                                             in: directory, environment: environment, stdin: nil))
    }

    static func command(executable: URL, _ arguments: [String], in directory: String?,
                        environment: [String: String]?, stdin: String?) -> ChildProcess.Command {
        // Each command gets its own run store unless the test names one, so no test sees
        // another's history or cached replies. In its own folder: creating a store locks its
        // folder, and with one shared folder every command's store creation waited in line.
        var env = environment ?? ProcessInfo.processInfo.environment
        if env["RERANKBENCH_STORE"] == nil {
            env["RERANKBENCH_STORE"] = (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("store.sqlite")
        }
        return ChildProcess.Command(executable.path, arguments, environment: env, directory: directory, streams: .captured(stdin: stdin))
    }
}

/// A value shared between a test and a helper thread.
public final class LockedBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T?

    public init() {}

    public var value: T? {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
