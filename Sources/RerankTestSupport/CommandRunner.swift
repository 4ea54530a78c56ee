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

    /// Runs any program; `/usr/bin/env` with the tool's name finds it on PATH.
    ///
    /// The blocking reads and the wait happen on a Dispatch thread, never on Swift's cooperative
    /// pool: a test that blocked the pool would starve in-process fake servers (deadlock on 2 cores).
    public static func run(executable: URL, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String]? = nil, stdin: String? = nil) async throws -> CommandResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    continuation.resume(returning: try runBlocking(executable: executable, arguments, in: directory, environment: environment, stdin: stdin))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    static func runBlocking(executable: URL, _ arguments: [String], in directory: String?,
                            environment: [String: String]?, stdin: String?) throws -> CommandResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        // Each command gets its own run store unless the test names one, so no test sees
        // another's history or cached replies.
        var env = environment ?? ProcessInfo.processInfo.environment
        if env["RERANKBENCH_STORE"] == nil {
            env["RERANKBENCH_STORE"] = (Fixtures.scratchRoot as NSString).appendingPathComponent("store-" + UUID().uuidString + ".sqlite")
        }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        ChildProcesses.closeDescriptorsOnExec()
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so a full stderr cannot block the child.
        let errData = LockedBox<Data>()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData.value = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData.value ?? Data(), as: UTF8.self))
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
