import Foundation

/// Runs a program (python, pip, the server launcher) and streams its output by line.
enum ExternalCommand {
    struct Outcome {
        var status: Int32
        /// The last lines of stdout and stderr together, for error messages.
        var tail: [String]
        var output: String
    }

    /// Searches `PATH` for an executable, as a shell would.
    static func which(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for dir in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = (String(dir) as NSString).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs to completion off the cooperative pool; `onLine` sees each output line as it comes.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                    onLine: (@Sendable (String) -> Void)? = nil) async throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        ChildProcesses.closeDescriptorsOnExec()
        try process.run()
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var all = Data()
                var pending = Data()
                var tail: [String] = []
                let handle = pipe.fileHandleForReading
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    all.append(chunk)
                    pending.append(chunk)
                    while let newline = pending.firstIndex(where: { $0 == 10 || $0 == 13 }) {
                        let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                        pending.removeSubrange(pending.startIndex...newline)
                        if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                        tail.append(line)
                        if tail.count > 12 { tail.removeFirst() }
                        onLine?(line)
                    }
                }
                if !pending.isEmpty { tail.append(String(decoding: pending, as: UTF8.self)) }
                process.waitUntilExit()
                continuation.resume(returning: Outcome(status: process.terminationStatus, tail: tail,
                                                       output: String(decoding: all, as: UTF8.self)))
            }
        }
    }
}
