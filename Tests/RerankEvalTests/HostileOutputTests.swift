import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// `rerank-eval` over the hostile dataset (Tests/Fixtures/hostile.jsonl) and the hostile prompt,
/// through every output format: no raw ESC, BEL or C1 byte reaches stdout or stderr, no formula
/// is live in CSV, no markup is live in Markdown or HTML, and machine formats read back exactly.
@Suite struct HostileOutputTests {
    let root = Fixtures.repositoryRoot

    func eval(_ args: [String], store: String) async throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment
        for name in ["OPENAI_API_KEY", "OPENAI_BASE_URL", "VLLM_API_KEY"] { environment[name] = nil }
        environment["RERANKBENCH_STORE"] = store
        return try await CommandRunner.run("rerank-eval", args, in: root, environment: environment)
    }

    static func store() -> String { (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("s.sqlite") }

    /// Checks one command's output. `allowed` is the set of raw control characters the format may
    /// hold (newlines everywhere; a tab inside a CSV cell).
    func expectInert(_ r: CommandResult, _ what: String, allowed: Set<Unicode.Scalar> = ["\n"],
                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!HostileData.hasRawEscapeBytes(r.stdout), "\(what): raw ESC/BEL/C1 on stdout", sourceLocation: sourceLocation)
        #expect(!HostileData.hasRawEscapeBytes(r.stderr), "\(what): raw ESC/BEL/C1 on stderr: \(r.stderr)", sourceLocation: sourceLocation)
        let out = HostileData.rawControls(in: r.stdout, allowed: allowed), err = HostileData.rawControls(in: r.stderr)
        #expect(out.isEmpty, "\(what): stdout \(out)", sourceLocation: sourceLocation)
        #expect(err.isEmpty, "\(what): stderr \(err)", sourceLocation: sourceLocation)
    }

    var hostile: [String] { ["--dataset", HostileData.datasetPath, "--prompt", HostileData.promptPath] }

    @Test func everyOutputOfARunOverHostileDataIsInert() async throws {
        let store = Self.store()
        let table = try await eval(["run"] + hostile + ["--per-query", "--k", "2,3"], store: store)
        #expect(table.status == 0, "\(table.stderr)")
        expectInert(table, "run --per-query")
        #expect(table.stdout.contains("\\e[2J\\e]0;pwned\\a what <img"), "the query is shown, as text")
        #expect(table.stdout.contains("hostile \\e]0;pwned\\a <script>"), "the prompt name is shown, as text")
        #expect(table.stdout.contains("\\tTAB\\rCR") && table.stdout.contains("q\\e[5mblink\\u202E"))
        // One row per query: no id or text broke a line of the table.
        let perQuery = table.stdout.components(separatedBy: "per query (").last ?? ""
        #expect(perQuery.split(separator: "\n").count == 1 + 1 + 4, "\(perQuery)")

        let json = try await eval(["run"] + hostile + ["--format", "json", "--quiet"], store: store)
        expectInert(json, "run --format json")
        let doc = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let data = try HostileData.dataset()
        #expect((doc["queries"] as! [[String: Any]]).map { $0["query"] as? String } == data.queries.map(\.text), "JSON keeps every character")

        let csv = try await eval(["run"] + hostile + ["--format", "csv", "--quiet"], store: store)
        expectInert(csv, "run --format csv", allowed: ["\n", "\t"])
        let rows = CSVReader.rows(csv.stdout)
        #expect(rows.count == 1 + 4 + 1)
        for row in rows.dropFirst() {
            for cell in [row[0], row[row.count - 1]] {
                #expect(cell.unicodeScalars.first.map { !["=", "+", "-", "@", "\t", "\r"].contains($0) } ?? true, "live formula \(cell)")
            }
        }
        #expect(rows.map { $0[0] }.contains("'=1+1"))

        let trec = try await eval(["run"] + hostile + ["--format", "trec", "--quiet"], store: store)
        #expect(trec.status == 2 && trec.stdout.isEmpty, "a TREC file with white space in ids must not be written")
        #expect(trec.stderr.contains("cannot carry") && trec.stderr.contains("--format json"), "\(trec.stderr)")
        expectInert(trec, "run --format trec")

        for args in [["history"], ["history", "--json"], ["show", "last", "--per-query", "--prompt"], ["show", "1", "--format", "json"],
                     ["show", "1", "--format", "csv"], ["show", "1", "--format", "trec"], ["compare", "1", "2", "--per-query"],
                     ["compare", "1", "2", "--json"], ["validate", HostileData.datasetPath, HostileData.promptPath],
                     ["prompts", "--dir", (HostileData.promptPath as NSString).deletingLastPathComponent]] {
            let r = try await eval(args, store: store)
            #expect(r.status == 0 || args.contains("trec"), "\(args): \(r.stderr)")
            // A CSV cell and the prompt (`show --prompt`) keep their tabs.
            expectInert(r, args.joined(separator: " "), allowed: args.contains("csv") || args.contains("--prompt") ? ["\n", "\t"] : ["\n"])
        }
        let show = try await eval(["show", "last", "--prompt"], store: store)
        #expect(show.stdout.contains("\\e[2J\\e]0;pwned\\aYou score memories."), "the prompt text is shown, as text")
        #expect(show.stdout.contains("tab\tend"), "tabs and newlines of the prompt are kept")

        let dir = Fixtures.temporaryDirectory()
        for format in ["markdown", "html", "csv", "json", "recording", "mem0-json", "mem0-yaml", "mem0-python", "prompt-card"] {
            let r = try await eval(["export", "1", "--format", format, "-o", "\(dir)/out.\(format)"], store: store)
            expectInert(r, "export \(format)")
            if format.hasPrefix("mem0-") {
                // The run is the lexical baseline, which has no mem0 config (issue 20 item 13);
                // the mem0 exports of hostile prompts are checked in HostileExportTests.
                #expect(r.status != 0 && r.stderr.contains("not an LLM"), "\(format): \(r.stderr)")
                continue
            }
            #expect(r.status == 0, "\(format): \(r.stderr)")
            let text = try String(contentsOfFile: "\(dir)/out.\(format)", encoding: .utf8)
            if format == "prompt-card" {
                // The card's body is the prompt itself, byte for byte (a prompt file); its front matter is inert.
                #expect(try ScoringPrompt.load(path: "\(dir)/out.\(format)").text == (try HostileData.prompt()).text)
                continue
            }
            // Tabs may stay where text keeps its layout: a CSV cell, the prompt's code block.
            let tabs = ["csv", "markdown", "html"].contains(format)
            #expect(HostileData.rawControls(in: text, allowed: tabs ? ["\n", "\t"] : ["\n"]).isEmpty, "export \(format)")
        }
        let html = try String(contentsOfFile: "\(dir)/out.html", encoding: .utf8)
        #expect(html.contains("Content-Security-Policy") && !html.contains("<script") && !html.contains("<img"))
        #expect(html.contains("&lt;b onmouseover=alert(1)&gt;m4&lt;/b&gt;"), "memories and candidates are in the report, as text")
        let md = try String(contentsOfFile: "\(dir)/out.markdown", encoding: .utf8)
        #expect(md.contains("&lt;img src=x onerror=alert(1)&gt;") && !md.contains("<img"))
        for format in ["trec", "qrels"] {
            let r = try await eval(["export", "1", "--format", format], store: store)
            #expect(r.status == 2 && r.stdout.isEmpty && r.stderr.contains("cannot carry"), "\(format): \(r.stderr)")
            expectInert(r, "export \(format)")
        }
    }

    @Test func hostileRepliesModelNamesAndServerErrorsStayInert() async throws {
        let server = try FakeProviderServer { r, _ in
            guard let pair = r.pair else { return .text(HostileData.reply, for: r) }
            if pair.document.contains("city overwritten") { return .error(500, HostileData.serverError, for: r) }
            return .text(pair.document.count % 2 == 0 ? HostileData.reply : "0.4 \u{1B}]0;pwned\u{07}", for: r)
        }
        defer { server.stop() }
        let store = Self.store()
        let vllm = ["--provider", "vllm", "--model", HostileData.modelName, "--base-url", server.baseURL + "/v1", "--max-retries", "0"]
        let run = try await eval(["run"] + hostile + vllm + ["--per-query"], store: store)
        #expect(run.status == 1, "one call failed: \(run.stderr)")
        expectInert(run, "run with hostile replies")
        #expect(run.stdout.contains("\\e]0;model\\a<script>alert('model')</script>"), "the model name is shown, as text")
        let json = try await eval(["show", "last", "--format", "json"], store: store)
        expectInert(json, "show --format json")
        let errors = ((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any])["queries"] as! [[String: Any]])
            .flatMap { $0["candidates"] as! [[String: Any]] }.compactMap { $0["error"] as? String }
        #expect(errors.count == 1 && errors[0].contains(HostileData.serverError), "\(errors)")

        // The recording keeps every reply exactly, and replays to the same report.
        let dir = Fixtures.temporaryDirectory()
        for format in ["recording", "html", "markdown", "mem0-python"] {
            let e = try await eval(["export", "last", "--format", format, "-o", "\(dir)/r.\(format)"], store: store)
            #expect(e.status == 0, "\(format): \(e.stderr)")
            expectInert(e, "export \(format)")
            let text = try String(contentsOfFile: "\(dir)/r.\(format)", encoding: .utf8)
            #expect(HostileData.rawControls(in: text, allowed: ["\n", "\t"]).isEmpty, "export \(format)")
        }
        let (_, calls) = try Recording.load(path: "\(dir)/r.recording")
        let replies = Set(calls.values.compactMap { $0.reply?.text })
        #expect(replies.contains(HostileData.reply) && replies.contains("0.4 \u{1B}]0;pwned\u{07}"))
        let html = try String(contentsOfFile: "\(dir)/r.html", encoding: .utf8)
        #expect(html.contains("&lt;script&gt;alert(&#39;reply&#39;)&lt;/script&gt;") && html.contains("&lt;script&gt;alert(&#39;error&#39;)&lt;/script&gt;"))
        #expect(!html.contains("<script"))

        let ping = try await eval(["ping", "--provider", "vllm", "--model", HostileData.modelName, "--base-url", server.baseURL + "/v1"], store: store)
        #expect(ping.status == 0, "\(ping.stderr)")
        expectInert(ping, "ping")
        #expect(ping.stdout.contains("reply \"0.4 \\e]0;pwned\\a\""), "\(ping.stdout)")
    }

    @Test func errorsQuotingDataAreInert() async throws {
        let bad = Fixtures.write("""
        {"query_id": "q\\u001b]0;pwned\\u0007", "query": "x", "candidates": [{"id": "m\\nerror: fake line", "text": "a"}]}
        {"query_id": "q\\u001b]0;pwned\\u0007", "query": "y", "candidates": [{"id": "m", "text": "a"}]}
        {"query_id": "q2", "query": "z", "candidates": [{"id": "\\u001b[2Jdup", "text": "a"}, {"id": "\\u001b[2Jdup", "text": "b"}]}
        {"query_id": "q3", "query": "w", "candidates": [{"id": "m\\nerror: fake", "text": "a"}, {"id": "m\\nerror: fake", "text": "b"}]}
        """)
        let r = try await eval(["validate", bad], store: Self.store())
        #expect(r.status == 2)
        expectInert(r, "validate")
        #expect(r.stderr.contains("duplicate id \"\\e[2Jdup\""), "\(r.stderr)")
        #expect(r.stderr.contains("duplicate query id \"q\\e]0;pwned\\a\""), "\(r.stderr)")
        // A quoted id cannot start a line of its own that looks like another message.
        #expect(r.stderr.contains("duplicate id \"m\\nerror: fake\""), "\(r.stderr)")
        #expect(!r.stderr.split(separator: "\n").contains { $0.hasPrefix("error: fake") })
        let run = try await eval(["run", "--dataset", bad], store: Self.store())
        #expect(run.status == 2)
        expectInert(run, "run on a bad dataset")
        // A model name from the command line is quoted back inert too.
        let unknown = try await eval(["run", "--dataset", HostileData.datasetPath, "--provider", "\u{1B}]0;pwned\u{07}"], store: Self.store())
        #expect(unknown.status != 0)
        expectInert(unknown, "unknown provider")
    }
}
