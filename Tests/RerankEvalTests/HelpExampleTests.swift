import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// Examples are what a new user copies first: every file an example reads must exist.
@Suite struct HelpExampleTests {
    let root = Fixtures.repositoryRoot

    /// Repository paths an example reads. A path with a placeholder in capitals (NAME, FILE) or
    /// one the example says it writes is an output, not an input.
    static func inputPaths(in text: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"(?<![\w/.-])((?:Prompts|Datasets|Tests|Benchmarks|Sources|\.ci)/[A-Za-z0-9_./-]*[A-Za-z0-9_])"#)
        var paths: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let range = NSRange(line.startIndex..., in: line)
            for match in pattern.matches(in: line, range: range) {
                let path = String(line[Range(match.range(at: 1), in: line)!])
                if path.range(of: #"(^|/)[A-Z]{3,}(\.|/|$)"#, options: .regularExpression) != nil { continue }
                let before = line[..<Range(match.range(at: 1), in: line)!.lowerBound]
                if before.range(of: #"(writes|written to|-o|--output)\s*$"#, options: .regularExpression) != nil { continue }
                paths.append(path)
            }
        }
        return paths
    }

    /// Every subcommand's help, found by walking the SUBCOMMANDS lists.
    func helpTexts(_ tool: String, _ path: [String] = []) async throws -> [(String, String)] {
        let r = try await CommandRunner.run(tool, path + ["--help"], in: root)
        var texts = [((["\(tool)"] + path).joined(separator: " "), r.stdout + r.stderr)]
        guard path.count < 3, let section = r.stdout.range(of: "SUBCOMMANDS:\n") else { return texts }
        // The section's entries: two-space indented names, up to the first blank line.
        for line in r.stdout[section.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            guard line.hasPrefix("  "), !line.hasPrefix("   "),
                  let name = line.split(separator: " ").first.map(String.init),
                  name != "help", name.allSatisfy({ $0.isLowercase || $0 == "-" }) else { continue }
            texts += try await helpTexts(tool, path + [name])
        }
        return texts
    }

    @Test func everyFileNamedInAnExampleExists() async throws {
        var sources = try await helpTexts("rerank-eval") + helpTexts("rerankbench")
        #expect(sources.count > 10, "found the subcommands: \(sources.map(\.0))")
        sources.append(("README.md", try String(contentsOfFile: root + "/README.md", encoding: .utf8)))
        sources.append(("BENCHMARKS.md", try String(contentsOfFile: root + "/BENCHMARKS.md", encoding: .utf8)))
        for (source, text) in sources {
            for path in Self.inputPaths(in: text) {
                #expect(FileManager.default.fileExists(atPath: root + "/" + path), "\(source) names \(path), which does not exist")
            }
        }
    }

    /// An example wrapped by the help formatter (`--format json >` / `run.json`) cannot be
    /// copied: every example line fits 80 columns, and a long one continues with a backslash.
    static func brokenExamples(in text: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var broken: [String] = []
        for (i, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix(" "), trimmed.hasPrefix("rerank-eval ") || trimmed.hasPrefix("rerankbench ") else { continue }
            if line.count > 80 { broken.append(line) }
            // The formatter puts the wrapped rest of a line at column 0.
            if i + 1 < lines.count, let next = lines[i + 1].first, next != " ", !lines[i + 1].hasSuffix(":") {
                broken.append(line + " / " + lines[i + 1])
            }
        }
        return broken
    }

    @Test func examplesSurviveTheHelpFormatter() async throws {
        let sources = try await helpTexts("rerank-eval") + helpTexts("rerankbench")
        for (source, text) in sources {
            #expect(Self.brokenExamples(in: text).isEmpty, "\(source): \(Self.brokenExamples(in: text))")
        }
        #expect(Self.brokenExamples(in: "  rerank-eval run --dataset d --format json >\nrun.json\n").count == 1)
    }

    @Test func theCheckCatchesAMissingFile() {
        let text = """
          rerank-eval matrix --prompts Prompts/mem0-default-system.txt,Prompts/graded-0-10.txt
          rerank-eval export 7 --format prompt-card     # writes Prompts/concise-yes-no.md
          Ctrl-S saves to Prompts/NAME.txt
        """
        #expect(Self.inputPaths(in: text) == ["Prompts/mem0-default-system.txt", "Prompts/graded-0-10.txt"])
    }
}
