import Foundation
import RerankTestSupport
import Testing
@testable import WorkbenchUI

/// The README's key tables against the keymap: the full table is the keymap's own Markdown
/// (`RECORD_README=1` rewrites it after a keymap change), and every key the short table names
/// does something.
@Suite struct ReadmeKeyTableTests {
    static let begin = "<!-- keys:begin"
    static let end = "<!-- keys:end -->"

    @Test func theFullKeyTableIsTheKeymaps() throws {
        let path = Fixtures.repoPath("README.md")
        let readme = try String(contentsOfFile: path, encoding: .utf8)
        let start = try #require(readme.range(of: Self.begin), "README has no \(Self.begin) marker")
        let bodyStart = try #require(readme[start.upperBound...].range(of: "-->\n")).upperBound
        let stop = try #require(readme.range(of: Self.end, range: bodyStart..<readme.endIndex))
        let shown = String(readme[bodyStart..<stop.lowerBound])
        let wanted = Keymap.standard.markdownTable + "\n"
        if ProcessInfo.processInfo.environment["RECORD_README"] == "1", shown != wanted {
            try (String(readme[..<bodyStart]) + wanted + String(readme[stop.lowerBound...])).write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(shown == wanted, "the README's key table differs from the keymap; run RECORD_README=1 swift test --filter ReadmeKeyTableTests")
    }

    /// The hand-written table above it: each key in backticks in its first column is bound.
    @Test func theShortTablesKeysAreBound() throws {
        let readme = try String(contentsOfFile: Fixtures.repoPath("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "| key | does |"))
        let rows = readme[start.upperBound...].split(separator: "\n").dropFirst().prefix { $0.hasPrefix("|") }
        let bound = Set(Keymap.standard.bindings.flatMap(\.keys))
        var checked = 0
        for row in rows {
            let first = row.split(separator: "|").first.map(String.init) ?? ""
            for (i, part) in first.split(separator: "`", omittingEmptySubsequences: false).enumerated() where i % 2 == 1 {
                let key = try #require(KeyName.key(String(part)), "\(part) is not a key name")
                #expect(bound.contains(key), "README names \(part), which no command has")
                checked += 1
            }
        }
        #expect(checked > 10)
    }
}
