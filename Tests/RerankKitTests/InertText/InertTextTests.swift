import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// The one function for data shown on a terminal, and the per-format escapes built on it.
@Suite struct TerminalTextTests {
    @Test func escapeSequencesBecomeVisibleText() {
        #expect(TerminalText.inert("\u{1B}[2J\u{1B}]0;pwned\u{07}") == "\\e[2J\\e]0;pwned\\a")
        #expect(TerminalText.inert("\u{1B}]52;c;cHduZWQ=\u{07}") == "\\e]52;c;cHduZWQ=\\a")
        #expect(TerminalText.inert("a\u{0}b\u{8}c\u{B}d\u{C}e\u{1F}f\u{7F}g") == "a\\0b\\bc\\vd\\fe\\x1Ff\\x7Fg")
        #expect(TerminalText.inert("csi\u{9B}31m nel\u{85}") == "csi\\x9B31m nel\\x85")
    }

    @Test func bidiControlsAreNeutralised() {
        #expect(TerminalText.inert("\u{202E}abc\u{202C}") == "\\u202Eabc\\u202C")
        for v: UInt32 in Array(0x202A...0x202E) + Array(0x2066...0x2069) + [0x2028, 0x2029] {
            let s = String(UnicodeScalar(v)!)
            #expect(TerminalText.inert(s) == "\\u" + String(v, radix: 16, uppercase: true), "U+\(String(v, radix: 16))")
        }
    }

    @Test func layoutsDecideTabsAndLineBreaks() {
        let text = "a\tb\nc\r\nd\re"
        #expect(TerminalText.inert(text, layout: .line) == "a\\tb\\nc\\r\\nd\\re")
        #expect(TerminalText.inert(text, layout: .lines) == "a\tb\nc\nd\\re")
        #expect(TerminalText.inert(text, layout: .row) == "a b c d e")
    }

    @Test func cleanTextIsUnchangedAndInertIsIdempotent() {
        for s in ["plain", "Tōkyō 東京 🍣 👨‍👩‍👧", "C:\\path\\n (a literal backslash-n)", "שלום עולם", ""] {
            #expect(TerminalText.inert(s) == s)
        }
        for p in HostileData.payloads {
            let once = TerminalText.inert(p, layout: .lines)
            #expect(TerminalText.inert(once, layout: .lines) == once)
            #expect(HostileData.rawControls(in: TerminalText.inert(p), allowed: []).isEmpty, "\(once)")
            #expect(HostileData.rawControls(in: once, allowed: ["\n", "\t"]).isEmpty, "\(once)")
            #expect(HostileData.rawControls(in: TerminalText.inert(p, layout: .row), allowed: []).isEmpty, "\(once)")
        }
    }

    @Test func quotedStaysOnOneLine() {
        #expect(TerminalText.quoted("m7\nerror: fake") == "\"m7\\nerror: fake\"")
    }
}

@Suite struct CSVTextTests {
    @Test(arguments: ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "=HYPERLINK(\"http://x\",\"y\")"])
    func formulaCellsGetAQuote(_ text: String) {
        let cell = CSVText.cell(text)
        let parsed = CSVReader.rows(cell + "\n")[0][0]
        #expect(parsed.hasPrefix("'"), "\(cell)")
        #expect(CSVText.text(ofCell: parsed) == text)
    }

    @Test func carriageReturnStartIsGuardedAndShownAsAnEscape() {
        #expect(CSVText.cell("\rCR") == "'\\rCR")
    }

    @Test func plainTextAndQuotesRoundTrip() {
        for text in ["plain", "a,b", "say \"hi\"", "two\nlines", "'quoted", "'=quoted", "''@twice", "x=1", "1-2", "", "tab\tinside"] {
            let parsed = CSVReader.rows("\(CSVText.cell(text)),end\n")[0]
            #expect(parsed.count == 2 && parsed[1] == "end", "\(text)")
            #expect(CSVText.text(ofCell: parsed[0]) == text, "\(text)")
            if let first = parsed[0].unicodeScalars.first(where: { $0 != "'" }) {
                #expect(!["=", "+", "-", "@"].contains(first) || parsed[0].hasPrefix("'"), "\(text)")
            }
        }
    }

    @Test func controlsAreVisibleInCells() {
        let cell = CSVText.cell("\u{1B}[2J\u{9B}\u{202E}x")
        #expect(HostileData.rawControls(in: cell).isEmpty)
        #expect(cell.contains("\\e[2J"))
    }
}

@Suite struct MarkdownTextTests {
    @Test func htmlAndMarkupAreText() {
        let md = MarkdownText.inline("what <img src=x onerror=alert(1)> & `code` *em* _em_ [l](javascript:x) a|b ~~s~~ $m$ #h")
        #expect(!md.contains("<") && !md.contains(">"))
        #expect(md.contains("&lt;img src=x onerror=alert(1)&gt;") && md.contains("&amp;"))
        #expect(md.contains("\\`code\\`") && md.contains("\\*em\\*") && md.contains("\\_em\\_") && md.contains("\\[l\\]"))
        #expect(md.contains("a\\|b") && md.contains("\\~\\~s\\~\\~") && md.contains("\\$m\\$") && md.contains("\\#h"))
    }

    @Test func newlinesInCellsAreEscaped() {
        let md = MarkdownText.inline("one\ntwo\r\nthree")
        #expect(!md.contains("\n") && !md.contains("\r"))
        #expect(md == "one\\\\ntwo\\\\r\\\\nthree")
    }

    @Test func codeBlockFenceOutgrowsBackticks() {
        let block = MarkdownText.codeBlock("a ``` b\n`````\n<script>")
        let lines = block.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "``````text" && lines.last == "``````")
        #expect(block.contains("<script>"), "inside a code block HTML is text")
    }
}

@Suite struct HTMLTextTests {
    @Test func everyPayloadIsEscaped() {
        for p in HostileData.payloads {
            let html = HTMLText.escape(p)
            #expect(!html.contains("<") && !html.contains(">") && !html.contains("\""), "\(html)")
            #expect(HostileData.rawControls(in: html, allowed: []).isEmpty, "\(html)")
        }
    }
}

@Suite struct InertJSONTests {
    @Test func inertQuoteParsesBackToTheSameText() throws {
        for p in HostileData.payloads {
            let literal = JSONText.inertQuote(p)
            #expect(HostileData.rawControls(in: literal, allowed: []).isEmpty, "\(literal)")
            #expect(!literal.unicodeScalars.contains { [0xFEFF, 0xFFFE, 0xFFFF].contains($0.value) })
            #expect(try JSONParser.parse(literal) == .string(p), "\(literal)")
            let foundation = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
            #expect(foundation == [p])
        }
    }

    @Test func escapingInvisibleKeepsADocumentsValue() throws {
        let doc = JSONValue.object([("k\u{202E}", .string("v\u{85}\u{7F}\u{2028}")), ("n", .number(1, literal: "1"))]).serialized()
        let inert = JSONText.escapingInvisible(doc)
        #expect(HostileData.rawControls(in: inert, allowed: []).isEmpty)
        #expect(try JSONParser.parse(inert) == JSONParser.parse(doc))
    }
}
