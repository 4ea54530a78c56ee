import Foundation
import RerankKit
import RerankTestSupport
import Testing

@Suite struct PromptTests {
    @Test func systemModeSendsPromptVerbatimAndCutsAt4000CodePoints() throws {
        let prompt = ScoringPrompt(name: "p", text: "Rate {query} literally")
        let renderer = try PromptRenderer(prompt: prompt, mode: .system)
        let long = String(repeating: "é", count: 4100)  // one code point each
        let messages = renderer.messages(query: "q?", document: long)
        #expect(messages.count == 2)
        #expect(messages[0] == .system("Rate {query} literally"))
        #expect(messages[1].content == "Query: q?\n\nDocument: " + String(repeating: "é", count: 4000))
    }

    @Test func codePointsNotGraphemes() throws {
        // A flag emoji is two code points: Python slices it in half, so do we.
        let renderer = try PromptRenderer(prompt: ScoringPrompt(name: "p", text: "x"), mode: .system)
        let doc = String(repeating: "a", count: 3999) + "🇩🇪"
        let content = renderer.messages(query: "q", document: doc)[1].content
        #expect(content.unicodeScalars.count == "Query: q\n\nDocument: ".unicodeScalars.count + 4000)
    }

    /// Texts at the cut's edge, by bytes and by code points: a text of up to 4000 bytes is sent
    /// whole without counting, so one of 4000 code points in more bytes must be sent whole too,
    /// and one of 4001 cut.
    @Test func theCutCountsCodePointsWhateverTheBytes() throws {
        let renderer = try PromptRenderer(prompt: ScoringPrompt(name: "p", text: "x"), mode: .system)
        func cut(_ s: String) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: s.unicodeScalars.prefix(4000))
            return String(view)
        }
        let texts = [
            "", "plain", String(repeating: "a", count: 4000), String(repeating: "a", count: 4001),
            String(repeating: "é", count: 2000), String(repeating: "é", count: 4000), String(repeating: "é", count: 4001),
            String(repeating: "a", count: 3999) + "漢", String(repeating: "a", count: 3998) + "\r\n" + "b",
            String(repeating: "e\u{301}", count: 2001), String(repeating: "🙂", count: 4000) + "a",
        ]
        for query in texts {
            for document in texts {
                let content = renderer.messages(query: query, document: document)[1].content
                // By bytes, not by canonical equivalence as String's == compares.
                let expected = "Query: " + cut(query) + "\n\nDocument: " + cut(document)
                #expect(content.utf8.elementsEqual(expected.utf8),
                        "query of \(query.utf8.count) bytes, document of \(document.utf8.count) bytes")
            }
        }
    }

    @Test func templateModeFillsOneUserMessage() throws {
        let prompt = ScoringPrompt(name: "p", text: "Q: \"{query}\" D: \"{document}\" {{\"score\": x}}")
        let renderer = try PromptRenderer(prompt: prompt, mode: .template)
        let messages = renderer.messages(query: "a {document} b", document: "doc")
        #expect(messages == [.user("Q: \"a {document} b\" D: \"doc\" {\"score\": x}")])
    }

    @Test func templateProblemsNameLineAndColumn() {
        let text = "first line\nscore {query} and {memory}\n{document} }"
        let problems = ScoringPrompt(name: "p", text: text, bodyLineOffset: 3).validate(mode: .template)
        #expect(problems.count == 2)
        #expect(problems[0].line == 5 && problems[0].column == 19)
        #expect(problems[0].message.contains("unknown placeholder {memory}"))
        #expect(problems[1].line == 6 && problems[1].column == 12)
        #expect(problems[1].message.contains("unbalanced '}'"))
    }

    @Test func templateNeedsBothPlaceholders() {
        let problems = ScoringPrompt(name: "p", text: "Only {query}").validate(mode: .template)
        #expect(problems.count == 1)
        #expect(problems[0].message.contains("{document}"))
        let open = ScoringPrompt(name: "p", text: "{query} {document} {oops").validate(mode: .template)
        #expect(open.first?.message.contains("unbalanced '{'") == true)
    }

    @Test func systemModeWarnsAboutPlaceholders() {
        let problems = ScoringPrompt(name: "p", text: "Query: {query}").validate(mode: .system)
        #expect(problems.count == 1)
        #expect(problems[0].severity == .warning)
        #expect(ScoringPrompt(name: "p", text: "Plain rubric").validate(mode: .system).isEmpty)
    }

    @Test func frontMatterIsRead() throws {
        let text = "---\nname: yes-no\ndescription: asks yes or no\nmode: template\nparser: labeled\nscale: 0-10\nauthor: me\n---\nIs {document} relevant to {query}?\n\n"
        let p = try ScoringPrompt.parse(text, path: "x.txt")
        #expect(p.name == "yes-no")
        #expect(p.mode == .template)
        #expect(p.parser == .labeled)
        #expect(p.scale == .ten)
        #expect(p.extraFrontMatter["author"] == "me")
        #expect(p.text == "Is {document} relevant to {query}?")
        #expect(p.bodyLineOffset == 8)
    }

    @Test func badFrontMatterNamesFieldAndLine() {
        #expect(throws: InputError.self) { try ScoringPrompt.parse("---\nmode: sideways\n---\nx", path: "p.txt") }
        do {
            _ = try ScoringPrompt.parse("---\nname: a\nmode: sideways\n---\nx", path: "p.txt")
        } catch {
            #expect(error.description == "p.txt:3: mode: unknown mode \"sideways\"; use system or template")
        }
        #expect(throws: InputError.self) { try ScoringPrompt.parse("---\nname: a\n", path: "p.txt") }
    }

    /// Prompts/ ships mem0's texts word for word; the code's copies must stay identical.
    @Test func shippedMem0PromptsMatchBuiltins() throws {
        let system = try ScoringPrompt.load(path: Fixtures.repoPath("Prompts/mem0-default-system.txt"))
        #expect(system.text == BuiltinPrompts.mem0System)
        #expect(system.mode == .system)
        let template = try ScoringPrompt.load(path: Fixtures.repoPath("Prompts/mem0-documented-template.txt"))
        #expect(template.text == BuiltinPrompts.mem0DocumentedTemplate)
        #expect(template.mode == .template)
    }

    @Test func everyShippedPromptIsValidForItsMode() throws {
        let dir = Fixtures.repoPath("Prompts")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".txt") }
        #expect(files.count >= 6)
        for f in files {
            let p = try ScoringPrompt.load(path: dir + "/" + f)
            let mode = try #require(p.mode, "\(f) has no mode")
            #expect(!p.validate(mode: mode).contains { $0.severity == .error }, "\(f)")
            #expect(!p.description.isEmpty, "\(f)")
        }
    }
}
