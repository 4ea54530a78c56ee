import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// Every export of a run over hostile data: nothing raw, nothing live, and what is code or data
/// (mem0 configs, JSON, recordings) parses back to exactly the same text.
@Suite struct HostileExportTests {
    // MARK: HTML

    static let allowedTags: Set<String> = ["!doctype", "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p",
                                          "code", "b", "small", "table", "tr", "th", "td", "svg", "rect", "line", "pre"]

    @Test func htmlHasNoLiveMarkupFromAnyField() async throws {
        let (report, details, _) = try await HostileData.run()
        let html = ReportHTML.render(report, title: "Run 1: \(report.promptName) with vllm/\(report.settings.model)", details: details)
        // Tabs stay in the prompt's <pre> block; nothing else raw.
        #expect(HostileData.rawControls(in: html, allowed: ["\n", "\t"]).isEmpty, "\(HostileData.rawControls(in: html))")
        let tags = HTMLTagScanner.tags(in: html)
        for tag in tags {
            let name = tag.name.hasPrefix("/") ? String(tag.name.dropFirst()) : tag.name
            #expect(Self.allowedTags.contains(name), "unexpected element <\(tag.name)>")
            for (attr, value) in tag.attributes {
                #expect(!attr.hasPrefix("on"), "event handler \(attr) on <\(tag.name)>")
                #expect(!["href", "src", "action", "formaction", "xlink:href", "srcdoc"].contains(attr), "\(attr) on <\(tag.name)>")
                #expect(!value.lowercased().contains("javascript:"), "\(attr)=\(value)")
            }
        }
        // The policy comes before any content and allows no script and no load.
        let csp = tags.first { $0.name == "meta" && $0.attribute("http-equiv") == "Content-Security-Policy" }
        #expect(csp?.attribute("content")?.hasPrefix("default-src 'none';") == true)
        #expect(csp?.attribute("content")?.contains("script-src") == false)
        #expect(tags.firstIndex { $0.name == "meta" && $0.attribute("http-equiv") != nil }! < tags.firstIndex { $0.name == "title" }!)
        // Each field reached the page, as text: ids, query, memory, prompt, reply, model name.
        for shown in ["&lt;script&gt;alert(&#39;q3&#39;)&lt;/script&gt;",                  // query id
                      "what &lt;img src=x onerror=alert(1)&gt; foods",                        // query text
                      "&lt;b onmouseover=alert(1)&gt;m4&lt;/b&gt;",                           // candidate id
                      "&lt;script&gt;alert(&#39;memory&#39;)&lt;/script&gt;",                // memory text
                      "&lt;a href=&quot;javascript:alert(2)&quot;&gt;avoid&lt;/a&gt;",       // memory text
                      "&lt;script&gt;alert(&#39;prompt&#39;)&lt;/script&gt;",                // prompt text
                      "&lt;script&gt;alert(&#39;reply&#39;)&lt;/script&gt;",                 // reply
                      "&lt;script&gt;alert(&#39;model&#39;)&lt;/script&gt;",                 // model name
                      "&lt;script&gt;alert(&#39;error&#39;)&lt;/script&gt;",                 // server error
                      "\\e[2J\\e]0;pwned\\a"] {
            #expect(html.contains(shown), "\(shown)")
        }
    }

    // MARK: Markdown

    @Test func markdownHasNoLiveMarkupAndTablesKeepTheirColumns() async throws {
        let (report, details, _) = try await HostileData.run()
        let md = ReportMarkdown.render(report, title: "Run 1: \(report.promptName) with vllm/\(report.settings.model)", details: details)
        #expect(HostileData.rawControls(in: md, allowed: ["\n", "\t"]).isEmpty, "\(HostileData.rawControls(in: md))")
        #expect(!md.split(separator: "\n").contains { $0.hasPrefix("|") && $0.contains("\t") }, "a tab in a table cell")
        var inFence: String?
        var columns: Int?
        for line in md.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let fence = inFence {
                if line == fence { inFence = nil }
                continue
            }
            if line.hasPrefix("```") {
                inFence = String(line.prefix { $0 == "`" })
                continue
            }
            // Outside code blocks, no tag can open, and no code span or link from data.
            #expect(!line.contains("<") && !line.contains(">"), "\(line)")
            #expect(!Self.unescaped("`", in: line) || line.contains("sha256 `"), "\(line)")
            #expect(!Self.unescaped("[", in: line), "\(line)")
            if line.hasPrefix("|") {
                let pipes = Self.unescapedCount("|", in: line)
                if columns == nil { columns = pipes }
                #expect(pipes == columns, "a data value split the table row: \(line)")
            } else {
                columns = nil
            }
        }
        #expect(inFence == nil, "the prompt's code block was never closed")
        #expect(md.contains("what &lt;img src=x onerror=alert(1)&gt; foods"))
        #expect(md.contains("line one\\\\nline two\\\\r\\\\nline three \\| with a pipe"))
        #expect(md.contains("&lt;script&gt;alert('reply')&lt;/script&gt;"))
        #expect(md.contains("\\\\e\\[2J"))
    }

    /// Whether `ch` occurs not preceded by an odd number of backslashes.
    static func unescaped(_ ch: Character, in line: String) -> Bool { unescapedCount(ch, in: line) > 0 }

    static func unescapedCount(_ ch: Character, in line: String) -> Int {
        var count = 0, backslashes = 0
        for c in line {
            if c == ch, backslashes % 2 == 0 { count += 1 }
            backslashes = c == "\\" ? backslashes + 1 : 0
        }
        return count
    }

    // MARK: CSV

    @Test func csvTextCellsAreGuardedAndNumbersUntouched() async throws {
        let (report, _, _) = try await HostileData.run()
        let csv = ReportCSV.encode(report)
        #expect(HostileData.rawControls(in: csv, allowed: ["\n", "\t"]).isEmpty)
        let rows = CSVReader.rows(csv)
        let header = rows[0]
        #expect(header.first == "query_id" && header.last == "query")
        let data = try HostileData.dataset()
        for (row, q) in zip(rows.dropFirst(), data.queries) {
            #expect(row.count == header.count, "\(row)")
            for cell in [row[0], row[row.count - 1]] {
                if let first = cell.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
                    Issue.record("live formula: \(cell)")
                }
            }
            // Text without control characters comes back exactly.
            if TerminalText.isInert(q.id) { #expect(CSVText.text(ofCell: row[0]) == q.id) }
            for cell in row[2..<(row.count - 1)] where !cell.isEmpty {
                #expect(Double(cell) != nil, "numeric cell changed: \(cell)")
            }
        }
        #expect(rows.dropFirst().map { $0[0] }.contains("'=1+1"))
        #expect(rows.dropFirst().map { $0[0] }.contains("'\tTAB\\rCR"))
        #expect(rows.last?.first == "MEAN")
    }

    @Test func negativeNumbersStayNumbers() async throws {
        var (report, _, _) = try await HostileData.run()
        let metric = report.settings.metrics.primaryMetric
        report.queries[0].queryID = "-q"
        report.queries[0].query = "-text"
        report.queries[0].baseline = QueryMetrics(values: [metric: 0.75])
        report.queries[0].reranked = QueryMetrics(values: [metric: 0.5])
        let rows = CSVReader.rows(ReportCSV.encode(report))
        let column = rows[0].firstIndex(of: "delta_\(metric)")!
        #expect(rows[1][0] == "'-q" && rows[1].last == "'-text")
        #expect(rows[1][column] == "-0.25", "a negative delta is a number, not text")
        #expect(rows[1][rows[0].firstIndex(of: "baseline_\(metric)")!] == "0.75")
    }

    // MARK: TREC

    @Test func trecRefusesIdsThatWouldBreakALine() async throws {
        let (report, _, _) = try await HostileData.run()
        do {
            _ = try TRECRunWriter.run(report)
            Issue.record("a TREC run with white space in ids was written")
        } catch {
            #expect(error.description.contains("cannot carry") && TerminalText.isInert(error.description))
        }
        #expect(throws: TRECIDError.self) { try TRECRunWriter.qrels(try HostileData.dataset()) }
        let odd = Dataset(path: "d", queries: [Query(id: "=1+1", text: "q", candidates: [
            Candidate(id: "<b>x</b>", text: "t", relevance: 1, firstStageScore: 0.5), Candidate(id: "@d|2", text: "u", relevance: 0, firstStageScore: 0.4)])])
        let run = try TRECRunWriter.baselineRun(odd)
        #expect(run.split(separator: "\n").allSatisfy { $0.split(separator: " ").count == 6 })
        #expect(try TRECRunWriter.qrels(odd) == "=1+1 0 <b>x</b> 1\n=1+1 0 @d|2 0\n")
    }

    @Test func trecImportRejectsIdsWithWhiteSpaceByFileAndLine() throws {
        let dir = Fixtures.temporaryDirectory()
        Fixtures.write("q1 Q0 d1 1 2.5 bm25\nq1 Q0 doc two 2 1.5 bm25\n", name: "run.txt", in: dir)
        Fixtures.write("q1\tfirst\nq 2\tsecond\n", name: "queries.tsv", in: dir)
        Fixtures.write("q1\tfirst\n", name: "good-queries.tsv", in: dir)
        Fixtures.write("d1\tone\n{\"_id\": \"d 9\", \"text\": \"nine\"}\nd\u{1B}[2J\tesc\n", name: "docs.tsv", in: dir)
        func message(_ importer: TRECImporter) -> String {
            do { _ = try importer.importQueries(); return "" } catch { return error.description }
        }
        let run = message(TRECImporter(runPath: "\(dir)/run.txt", qrelsPath: nil, queriesPath: "\(dir)/queries.tsv", documentsPath: "\(dir)/docs.tsv"))
        #expect(run.contains("run.txt:2: expected 6 columns `qid Q0 docid rank score tag`, found 7; TREC ids cannot contain white space"), "\(run)")
        Fixtures.write("q1 Q0 d1 1 2.5 bm25\n", name: "run.txt", in: dir)
        let texts = message(TRECImporter(runPath: "\(dir)/run.txt", qrelsPath: nil, queriesPath: "\(dir)/queries.tsv", documentsPath: "\(dir)/docs.tsv"))
        #expect(texts.contains("queries.tsv:2: id: id \"q 2\" contains white space"), "\(texts)")
        let docs = message(TRECImporter(runPath: "\(dir)/run.txt", qrelsPath: nil, queriesPath: "\(dir)/good-queries.tsv", documentsPath: "\(dir)/docs.tsv"))
        #expect(docs.contains("docs.tsv:2: _id: id \"d 9\" contains white space"), "\(docs)")
        #expect(docs.contains("docs.tsv:3: id: id \"d\\e[2J\" contains a control or bidi character"), "\(docs)")
        #expect(HostileData.rawControls(in: docs).isEmpty)
    }

    // MARK: JSON

    @Test func jsonReportParsesBackToTheSameText() async throws {
        let (report, _, _) = try await HostileData.run()
        let json = ReportJSON.encode(report)
        #expect(HostileData.rawControls(in: json).isEmpty)
        let doc = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let queries = doc["queries"] as! [[String: Any]]
        let data = try HostileData.dataset()
        #expect(queries.map { $0["query_id"] as? String } == data.queries.map(\.id))
        #expect(queries.map { $0["query"] as? String } == data.queries.map(\.text))
        #expect((doc["settings"] as? [String: Any])?["model"] as? String == HostileData.modelName)
        #expect((doc["prompt"] as? [String: Any])?["name"] as? String == (try HostileData.prompt()).name)
        let failed = queries.flatMap { $0["candidates"] as! [[String: Any]] }.compactMap { $0["error"] as? String }
        #expect(failed == [HostileData.serverError])
    }

    // MARK: mem0 configs: JSON, YAML, Python

    @Test func mem0ExportsParseBackToTheSamePromptInSwiftAndPython() async throws {
        let hostilePrompt = try HostileData.prompt().text
        let prompts = HostileData.payloads + [hostilePrompt, "multi\nline prompt\n  with indent\n# not a comment\n---\n...\n&a *a !!str", "Score it.\n\nAnswer: {query}"]
        let dir = Fixtures.temporaryDirectory()
        for mode in [PromptMode.system, .template] {
            for (i, prompt) in prompts.enumerated() {
                var settings = RunSettings(provider: "openai", model: HostileData.modelName, mode: mode)
                settings.baseURL = "http://127.0.0.1:9/v1\u{1B}]0;x\u{07}"
                let json = Mem0ConfigExporter.json(settings: settings, prompt: prompt)
                let yaml = Mem0ConfigExporter.yaml(settings: settings, prompt: prompt)
                let python = Mem0ConfigExporter.python(settings: settings, prompt: prompt)
                for (ext, text) in [("json", json), ("yaml", yaml), ("py", python)] {
                    #expect(HostileData.rawControls(in: text).isEmpty, "\(ext) \(i): \(HostileData.rawControls(in: text))")
                    Fixtures.write(text, name: "\(mode)-\(i).\(ext)", in: dir)
                }
                for text in [json, yaml] {
                    let config = try Mem0RerankerConfig.parse(text, environment: ["OPENAI_API_KEY": "k"])
                    #expect(config.scoringPrompt == prompt, "prompt \(i) in \(mode) mode: \(text)")
                    #expect(config.model == HostileData.modelName && config.baseURL == settings.baseURL)
                    #expect(config.apiKey == "k")
                }
                if mode == .system, prompt.contains("\n"), !prompt.hasSuffix("\n"), TerminalText.isInert(prompt), !prompt.contains("\t"),
                   !prompt.hasPrefix(" "), !prompt.hasPrefix("\n"), !prompt.split(separator: "\n").contains(where: { $0.hasSuffix(" ") }) {
                    #expect(yaml.contains("scoring_prompt: |-"), "a readable prompt should be a literal block: \(prompt)")
                }
            }
        }
        // Python imports each module, loads each JSON and YAML file (PyYAML's safe loader refuses
        // live tags, so an `!!python/object` that escaped its string would fail), and prints what it read.
        let script = """
        import importlib.util, json, os, sys
        try:
            import yaml
        except ImportError:
            yaml = None
        os.environ["OPENAI_API_KEY"] = "k"
        out = {}
        d = sys.argv[1]
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            if name.endswith(".py"):
                spec = importlib.util.spec_from_file_location("m" + str(len(out)), path)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                config = module.MEM0_CONFIG
            elif name.endswith(".json"):
                config = json.load(open(path, encoding="utf-8"))
            elif yaml is not None:
                config = yaml.safe_load(open(path, encoding="utf-8"))
            else:
                continue
            c = config["reranker"]["config"]
            out[name] = [c["scoring_prompt"], c["model"], c.get("api_key")]
        print(json.dumps(out))
        """
        let r = try await CommandRunner.run(executable: URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, dir],
                                            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        #expect(r.status == 0, "\(r.stderr)")
        let read = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: [String]] ?? [:]
        #expect(read.count >= 2 * 2 * prompts.count, "python read \(read.count) files")
        for mode in [PromptMode.system, .template] {
            for (i, prompt) in prompts.enumerated() {
                for ext in ["json", "yaml", "py"] {
                    guard let got = read["\(mode)-\(i).\(ext)"] else {
                        if ext != "yaml" { Issue.record("python did not read \(mode)-\(i).\(ext)") }
                        continue
                    }
                    #expect(got[0] == prompt, "\(mode)-\(i).\(ext): python read \(got[0]) for \(prompt)")
                    #expect(got[1] == HostileData.modelName, "\(mode)-\(i).\(ext)")
                    #expect(got[2] == (ext == "py" ? "k" : "${OPENAI_API_KEY}"), "\(mode)-\(i).\(ext)")
                }
            }
        }
    }

    @Test func promptCardFrontMatterReadsBack() throws {
        let prompt = try HostileData.prompt()
        for name in HostileData.payloads where !name.isEmpty {
            let card = PromptCard.text(name: name, description: name, prompt: "Score it.", settings: RunSettings(model: HostileData.modelName), report: nil)
            let front = String(card.split(separator: "\n---\n", maxSplits: 1)[0])
            #expect(HostileData.rawControls(in: front).isEmpty, "\(front)")
            let back = try ScoringPrompt.parse(card)
            #expect(back.name == name && back.description == name && back.text == "Score it.", "\(name)")
        }
        #expect(prompt.name.contains("\u{1B}]0;pwned\u{07}"), "the fixture's front matter holds a real escape")
    }
}
