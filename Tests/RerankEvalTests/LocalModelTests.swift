import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// The `local` provider. Without an install: clear messages naming the install command. With
/// the real model (`rerank-eval local install`; `.ci/run` installs it and sets
/// RERANKBENCH_REQUIRE_LOCAL=1 so a missing install fails instead of skipping): real replies
/// from llama-server, scored from logprobs, and no server left behind.
@Suite(.serialized) struct LocalModelTests {
    let root = Fixtures.repositoryRoot

    static var installation: LocalInstallation? { LocalInstallation.load(from: .resolve()) }

    /// True when the real-model tests should run; records a failure when CI requires them.
    static func installedOrRequired() -> Bool {
        if installation != nil { return true }
        if ProcessInfo.processInfo.environment["RERANKBENCH_REQUIRE_LOCAL"] == "1" {
            Issue.record("the local model is not installed (RERANKBENCH_REQUIRE_LOCAL=1): run `rerank-eval local install`")
        }
        return false
    }

    func eval(_ args: [String], home: String? = nil) async throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment
        if let home { environment[LocalModelHome.variable] = home }
        return try await CommandRunner.run("rerank-eval", args, in: root, environment: environment)
    }

    /// A model home of its own that uses the installed model (its manifest names absolute
    /// paths): no persistent server a user started (`local start`) is found and reused there,
    /// so the test sees its own server start and stop.
    static func isolatedHome() throws -> LocalModelHome {
        let home = LocalModelHome(root: Fixtures.temporaryDirectory() + "/llm")
        try FileManager.default.createDirectory(atPath: home.root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: LocalModelHome.resolve().manifestPath, toPath: home.manifestPath)
        return home
    }

    /// The first `queries` lines of a sample dataset, as a file.
    func smallDataset(queries: Int) throws -> String {
        let text = try String(contentsOfFile: root + "/Datasets/personal-memories.jsonl", encoding: .utf8)
        return Fixtures.write(text.split(separator: "\n").filter { $0.hasPrefix("{") }.prefix(queries).joined(separator: "\n") + "\n")
    }

    // MARK: Not installed

    @Test func withoutAnInstallEveryEntryPointNamesTheInstallCommand() async throws {
        let empty = Fixtures.temporaryDirectory()
        let run = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--provider", "local"], home: empty)
        #expect(run.status == 2)
        #expect(run.stderr.contains("not installed") && run.stderr.contains("rerank-eval local install"), "\(run.stderr)")
        #expect(!run.stderr.contains("Fatal") && !run.stderr.contains("Stack"))
        let providers = try await eval(["providers"], home: empty)
        let line = providers.stdout.split(separator: "\n").first { $0.hasPrefix("local") }
        #expect(line?.contains("not installed") == true, "\(providers.stdout)")
        let status = try await eval(["local", "status"], home: empty)
        #expect(status.stdout.contains("not installed"))
        let start = try await eval(["local", "start"], home: empty)
        #expect(start.status == 2 && start.stderr.contains("rerank-eval local install"))
    }

    @Test func installWithoutPythonOrCompilerSaysWhatToInstall() async throws {
        let home = LocalModelHome(root: Fixtures.temporaryDirectory() + "/llm")
        let noPython = LocalInstaller(home: home, environment: ["PATH": "/nonexistent"]) { _ in }
        await #expect { try await noPython.install() } throws: { error in
            (error as? LocalModelError).map { $0.code == .missingTool && $0.description.contains("python3 is not installed") } == true
        }
        // A PATH with python3 and nothing else: the environment is made, then the build needs a compiler.
        guard let python3 = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return }
        let bin = Fixtures.temporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: bin + "/python3", withDestinationPath: python3)
        let noCompiler = LocalInstaller(home: home, environment: ["PATH": bin, "HOME": NSTemporaryDirectory()]) { _ in }
        await #expect { try await noCompiler.install() } throws: { error in
            let message = (error as? LocalModelError)?.description ?? ""
            // Debian without python3-venv fails a step earlier, with its own fix named.
            return message.contains("build-essential") || message.contains("python3-venv")
        }
    }

    @Test func modelFileMustExist() async throws {
        guard Self.installation != nil else { return }
        let r = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--provider", "local", "--model-file", "/nonexistent/model.gguf"])
        #expect(r.status == 2 && r.stderr.contains("/nonexistent/model.gguf: no such model file"), "\(r.stderr)")
        let other = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--provider", "vllm", "--model", "m", "--model-file", "x.gguf"])
        #expect(other.status == 2 && other.stderr.contains("a model file is served only by provider 'local'") && other.stderr.contains("leave out --model-file"), "\(other.stderr)")
    }

    // MARK: The real model

    @Test(.timeLimit(.minutes(10))) func realRepliesFromLlamaServerAndNoServerLeft() async throws {
        guard Self.installedOrRequired() else { return }
        let home = try Self.isolatedHome()
        let data = try smallDataset(queries: 3)
        let store = Fixtures.temporaryDirectory() + "/s.sqlite"
        let r = try await eval(["run", "--dataset", data, "--provider", "local", "--prompt", "Prompts/yes-no-logprob.txt",
                                "--format", "json", "--store", store], home: home.root)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("llama-server ready at http://127.0.0.1:"), "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let counts = try #require(doc["counts"] as? [String: Any])
        let planned = try #require(counts["planned"] as? Int)
        #expect(planned > 20)
        #expect(counts["ok"] as? Int == planned && counts["fallback"] as? Int == 0 && counts["failed"] as? Int == 0)
        let usage = try #require(counts["usage"] as? [String: Any])
        #expect((usage["prompt_tokens"] as? Int ?? 0) > planned * 10, "prompt tokens counted")
        #expect(usage["completion_tokens"] as? Int == planned, "one token per call (max_tokens: 1)")
        let queries = try #require(doc["queries"] as? [[String: Any]])
        var scores: [Double] = []
        for q in queries {
            for c in q["candidates"] as? [[String: Any]] ?? [] {
                #expect(c["outcome"] as? String == "parsed")
                scores.append(c["score"] as? Double ?? -1)
            }
        }
        #expect(scores.count == planned)
        #expect(scores.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(scores)")
        #expect(Set(scores).count > 1, "the model told the memories apart")
        // The stored replies are the model's: a token with its logprob alternatives.
        let results = try RunStore(path: store).results(runID: 1)
        #expect(results.count == planned)
        #expect(results.allSatisfy { ($0.reply?.logprobs?.first?.top.count ?? 0) > 1 })
        // The server this run started is gone.
        let pid = try #require(Self.pid(in: r.stderr))
        // Stopped before the program exited; a second covers a kernel slow to reap on a busy machine.
        let deadline = Date().addingTimeInterval(1)
        while Self.alive(pid), Date() < deadline { try await Task.sleep(nanoseconds: 50_000_000) }
        #expect(!Self.alive(pid), "llama-server \(pid) still running")
        #expect(!LocalServerRecord.live(in: home).map(\.pid).contains(pid), "its record is gone too")
        // A normal stop is SIGTERM, answered: SIGKILL is only a safety net (issue 12).
        #expect(r.stderr.contains("stopped llama-server (pid \(pid))"), "\(r.stderr)")
        #expect(!r.stderr.contains("was killed"), "\(r.stderr)")
        // The same run again: every pair from the cache, no server needed.
        let again = try await eval(["run", "--dataset", data, "--provider", "local", "--prompt", "Prompts/yes-no-logprob.txt",
                                    "--format", "json", "--store", store], home: home.root)
        #expect(again.status == 0 && again.stderr.contains("0 calls made, \(planned) answered from the cache"), "\(again.stderr)")
        #expect(!again.stderr.contains("starting llama-server"))
    }

    /// A server from `local start` starts with no blocked and no ignored signals (issue 12: it
    /// used to inherit a pool thread's mask, SIGTERM blocked), and `local stop` ends it.
    @Test(.timeLimit(.minutes(5))) func aStartedServerHasACleanSignalState() async throws {
        guard Self.installedOrRequired() else { return }
        let home = try Self.isolatedHome()
        let started = try await eval(["local", "start"], home: home.root)
        #expect(started.status == 0, "\(started.stderr)")
        let pid = try #require(Self.pid(in: started.stdout), "\(started.stdout)")
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let fields = Dictionary(status.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }, uniquingKeysWith: { a, _ in a })
        #expect(fields["SigBlk"] == "0000000000000000", "\(status)")
        // Signals 1-31 (glibc's posix_spawn ignores its internal 32 and 33 in every child), less
        // SIGPIPE, which the server's HTTP library ignores itself once it runs (bit 13).
        #expect(fields["SigIgn"].flatMap { UInt64($0, radix: 16) }.map { $0 & 0x7FFF_FFFF & ~UInt64(1 << (SIGPIPE - 1)) } == 0, "\(status)")
        let stopped = try await eval(["local", "stop"], home: home.root)
        #expect(stopped.status == 0 && stopped.stdout.contains("stopped 1 server"), "\(stopped.stdout)")
        let deadline = Date().addingTimeInterval(10)
        while Self.alive(pid), Date() < deadline { try await Task.sleep(nanoseconds: 100_000_000) }
        #expect(!Self.alive(pid))
    }

    @Test(.timeLimit(.minutes(5))) func aKilledProgramTakesItsServerWithIt() async throws {
        guard Self.installedOrRequired() else { return }
        let data = try smallDataset(queries: 12)
        var environment = ProcessInfo.processInfo.environment
        environment[LocalModelHome.variable] = try Self.isolatedHome().root
        let process = try await CommandRunner.start("rerank-eval", [
            "run", "--dataset", data, "--provider", "local", "--no-cache", "--store", Fixtures.temporaryDirectory() + "/s.sqlite"],
            in: root, environment: environment)
        // Read stderr until the server is ready, then kill -9 the program mid-run.
        var text = ""
        for await line in process.lines where line.isError {
            text += line.text + "\n"
            if text.contains("stopped when this program ends") { break }
        }
        let pid = Self.pid(in: text)
        let server = try #require(pid, "the server never became ready")
        #expect(Self.alive(server))
        process.signal(SIGKILL)
        _ = try await process.exit()
        let deadline = Date().addingTimeInterval(15)
        while Self.alive(server), Date() < deadline { try await Task.sleep(nanoseconds: 100_000_000) }
        #expect(!Self.alive(server), "llama-server \(server) outlived the killed program")
    }

    static func pid(in text: String) -> Int32? {
        guard let range = text.range(of: "(pid ") else { return nil }
        return Int32(text[range.upperBound...].prefix { $0.isNumber })
    }

    static func alive(_ pid: Int32) -> Bool { LocalServerRecord.processIsAlive(pid) }
}
