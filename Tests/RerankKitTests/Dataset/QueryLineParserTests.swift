import Foundation
import RerankKit
import RerankTestSupport
import Testing
@testable import RerankCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The loader reads most lines by hand (`QueryLineParser`) and the rest by the general reading
/// (`JSONValue`s, where every message comes from). These hold the two to the same queries, the
/// same values and the same messages, and the hand-read numbers to `strtod`'s.
@Suite struct QueryLineParserTests {
    let loader = DatasetLoader()

    /// The query the hand reading gives (nil: it leaves the line to the general one).
    func byHand(_ line: String) -> Query? {
        Array(line.utf8).withUnsafeBufferPointer { QueryLineParser.query(from: $0, line: 3) }
    }

    /// The loader's reading of a line (by hand when it can) and the general reading alone.
    func bothReadings(_ bytes: [UInt8]) -> (loader: (Query?, [InputIssue]), general: (Query?, [InputIssue])) {
        var viaLoader = IssueCollector(file: "f.jsonl", limit: 100)
        let a = loader.parseLine(bytes[...], line: 3, collector: &viaLoader)
        var general = IssueCollector(file: "f.jsonl", limit: 100)
        let b = loader.parseLineInGeneral(bytes[...], line: 3, collector: &general)
        return ((a, viaLoader.issues), (b, general.issues))
    }

    /// Lines the hand reading must take (the common shapes), each giving the general reading's query.
    static let wellFormed: [String] = [
        #"{"query_id": "q1", "query": "What foods should I avoid?", "user_id": "alice", "candidates": [{"id": "m1", "text": "I'm allergic to peanuts", "relevance": 2, "score": 0.82}, {"id": "m2", "memory": "I love Italian food", "relevance": 0, "score": 0.79}, {"id": "m3", "text": "I'm vegetarian", "score": 0.61, "metadata": {"category": "diet"}}]}"#,
        #"{"query_id":7,"query":"q","user_id":42,"candidates":[{"id":12,"content":"c","relevance":-1},{"id":"x","text":"t","relevance":1.0,"score":-0.0}]}"#,
        #"{ "candidates" : [ { "score" : 1e-5 , "text" : "late keys" , "id" : "a" } ] , "query" : "keys in any order" , "query_id" : "k" }"#,
        #"{"query_id": "u", "query": "caf\u00e9 \ud83d\ude00 \"quoted\" tab\t", "candidates": [{"id": "\u00e9", "text": "line\nbreak \\ slash\/ \ud800 lone", "score": 2.5E+3}]}"#,
        #"{"query_id": "r", "query": "rätsel 日本 🙂", "candidates": [{"id": "ü", "text": "straße", "relevance": 3, "score": 123456789012345678901234567890}]}"#,
        #"{"query_id": "n", "query": "nulls", "candidates": [{"id": "a", "memory": null, "text": "from text", "content": 5, "relevance": null, "score": null}]}"#,
        #"{"query_id": "o", "query": "other types where mem0 does not look", "candidates": [{"id": "a", "memory": "wins", "text": [1, {"x": NaN}], "content": true}]}"#,
        #"{"query_id": "j", "query": "judged outside", "split": "test", "judgments": {"d9": 2, "d8": 0, "m1": 1, "d7": -1}, "candidates": [{"id": "m1", "text": "t", "relevance": 1, "score": 0.5}, {"id": "m2", "text": "u", "score": 0.5}]}"#,
        #"{"query_id": "s", "query": "split and nulls", "split": null, "judgments": null, "user_id": null, "extra": {"deep": [[[]]]}, "candidates": [{"id": "a", "text": "t", "score": 0.1}, {"id": "b", "text": "u", "score": 0.3}, {"id": "c", "text": "v", "score": 0.3}]}"#,
        #"{"query_id": "e", "query": "numbers", "user_id": -1.5e2, "candidates": [{"id": 0, "text": "a", "relevance": 2e0, "score": 5e-324}, {"id": -3.25, "text": "b", "relevance": 1E9, "score": 1.7976931348623157e308}, {"id": "c", "text": "c", "score": 0.30000000000000004}]}"#,
        "{\"query_id\":\"w\",\r\"query\":\"white space\"\t,\"candidates\":[\r{\"id\":\"a\",\"text\":\" lead\"}\t]\t}",
    ]

    @Test(arguments: wellFormed)
    func handReadingTakesTheCommonShapesAsTheGeneralReadingDoes(_ line: String) throws {
        let fast = try #require(byHand(line), "the hand reading gave up on: \(line)")
        let (viaLoader, general) = bothReadings(Array(line.utf8))
        #expect(general.1.isEmpty)
        #expect(fast == general.0)
        #expect(viaLoader.0 == general.0)
        // Every field, not only what Query's equality looks at: the sign of a zero score too.
        let generalQuery = try #require(general.0)
        for (a, b) in zip(fast.candidates, generalQuery.candidates) {
            #expect(a.firstStageScore?.bitPattern == b.firstStageScore?.bitPattern)
        }
    }

    @Test func valuesReadByHandAreTheFilesValues() throws {
        let u = try #require(byHand(Self.wellFormed[3]))
        #expect(u.text == "café 😀 \"quoted\" tab\t")
        #expect(u.candidates[0].id == "é")
        #expect(u.candidates[0].text == "line\nbreak \\ slash/ \u{FFFD} lone")
        #expect(u.candidates[0].firstStageScore == 2500)
        let n = try #require(byHand(Self.wellFormed[5]))
        #expect(n.candidates[0].text == "from text")
        #expect(n.candidates[0].relevance == nil && n.candidates[0].firstStageScore == nil)
        #expect(try #require(byHand(Self.wellFormed[6])).candidates[0].text == "wins")
        let j = try #require(byHand(Self.wellFormed[7]))
        #expect(j.judgments == ["d9": 2, "d8": 0])
        #expect(j.split == .test)
        let e = try #require(byHand(Self.wellFormed[9]))
        #expect(e.userID == "-1.5e2")
        #expect(e.candidates.map(\.id) == ["-3.25", "c", "0"])  // by score, highest first
        #expect(e.candidates.map(\.relevance) == [1_000_000_000, nil, 2])
        #expect(e.candidates[2].firstStageScore == .leastNonzeroMagnitude)  // 5e-324
        let s = try #require(byHand(Self.wellFormed[8]))
        #expect(s.candidates.map(\.id) == ["b", "c", "a"])  // ties keep the file's order
        #expect(s.userID == nil && s.split == nil)
    }

    /// Lines the hand reading must leave to the general one (a problem, or a shape it does not
    /// take); the loader's answer is then the general reading's, message for message.
    static let leftToTheGeneralReading: [String] = [
        // Repeated keys: the last one wins, as in Python's json.
        #"{"query_id": "first", "query": "q", "query_id": "second", "candidates": [{"id": "a", "text": "t"}]}"#,
        #"{"query_id": "d", "query": "q", "candidates": [{"id": "a", "text": "first", "text": "second", "score": 1, "score": 2}]}"#,
        #"{"query_id": "d", "query": "q", "candidates": [], "candidates": [{"id": "a", "text": "t"}]}"#,
        // Keys with an escape or outside ASCII.
        #"{"query_id": "k", "query": "q", "candidates": [{"\u0069d": "a", "\u0074ext": "escaped keys"}]}"#,
        #"{"query_id": "k", "query": "q", "candidates": [{"id": "a", "text": "t", "catégorie": 1}]}"#,
        // Problems, each named by the general reading.
        #"{"query_id": "", "query": "q", "candidates": [{"id": "a", "text": "t"}]}"#,
        #"{"query_id": "p", "query": "  ", "candidates": [{"id": "a", "text": "t"}]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t"}, {"id": "a", "text": "u"}]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": 1, "text": "t"}, {"id": "1", "text": "u"}]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "memory": 5, "text": "t"}]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "\u0020\n"}]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t", "relevance": 1.5}]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t", "relevance": 1e10}]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t", "score": 1e999}]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t", "score": -Infinity}]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t", "score": "0.5"}]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": NaN, "text": "t"}]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t"}], "judgments": {"a": 2}}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t"}], "split": "train"}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t", "score": 01}]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t", "score": 1.}]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t", "score": 1e}]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t", "score": nul}]}"#,
        "{\"query_id\": \"p\", \"query\": \"q\", \"candidates\": [{\"id\": \"a\", \"text\": \"t\u{01}\"}]}",
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "bad \x escape"}]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t"},]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t"}]} trailing"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t"}]"#,
        #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t"} {"id": "b"}]}"#,
        #"{"query_id": "p", "query": "q", "candidates": {"id": "a", "text": "t"}}"#,
        #"{"query_id": "p", "query": "q", "candidates": ["a"]}"#,
        #"{"query_id": "p", "query": "q", "candidates": [{}]}"#,
        #"{}"#,
        #"[]"#,
        #""just a string""#,
    ]

    @Test(arguments: leftToTheGeneralReading)
    func problemsAndUnusualShapesGetTheGeneralReadingsAnswer(_ line: String) {
        #expect(byHand(line) == nil)
        let (viaLoader, general) = bothReadings(Array(line.utf8))
        #expect(viaLoader.0 == general.0)
        #expect(viaLoader.1 == general.1)
    }

    @Test func repeatedKeysKeepTheLastAsBefore() throws {
        let lines = Self.leftToTheGeneralReading
        #expect(bothReadings(Array(lines[0].utf8)).loader.0?.id == "second")
        let d = try #require(bothReadings(Array(lines[1].utf8)).loader.0)
        #expect(d.candidates[0].text == "second" && d.candidates[0].firstStageScore == 2)
        #expect(bothReadings(Array(lines[2].utf8)).loader.0?.candidates.count == 1)
        #expect(bothReadings(Array(lines[3].utf8)).loader.0?.candidates.first?.text == "escaped keys")
    }

    /// Nesting: the hand-read levels count toward the 512 limit as the general reading counts them.
    @Test func nestingLimitIsTheSame() {
        for depth in [508, 509, 510, 511, 512] {
            let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            for line in [
                #"{"query_id": "p", "query": "q", "candidates": [{"id": "a", "text": "t", "m": \#(nested)}]}"#,
                #"{"query_id": "p", "query": "q", "x": \#(nested), "candidates": [{"id": "a", "text": "t"}]}"#,
            ] {
                let (viaLoader, general) = bothReadings(Array(line.utf8))
                #expect(viaLoader.0 == general.0, "depth \(depth)")
                #expect(viaLoader.1 == general.1, "depth \(depth)")
            }
        }
    }

    /// Random damage to good lines: whatever the hand reading takes, it takes as the general
    /// reading does, and the loader's messages are the general reading's.
    @Test func damagedLinesGetTheSameAnswerEitherWay() {
        var random = SplitMix64(seed: 16)
        let bytesToWrite: [UInt8] = Array(#"{}[]",:\ -.0123456789eEnulltruefalseNaIx"#.utf8) + [0x01, 0x09, 0xC3, 0xA9, 0xFF, 0x0D]
        var takenByHand = 0
        var compared = 0
        for base in Self.wellFormed {
            let original = Array(base.utf8)
            for _ in 0..<400 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    let at = Int.random(in: 0..<bytes.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: bytes[at] = bytesToWrite.randomElement(using: &random)!
                    case 1: bytes.insert(bytesToWrite.randomElement(using: &random)!, at: at)
                    default: if bytes.count > 1 { bytes.remove(at: at) }
                    }
                }
                let (viaLoader, general) = bothReadings(bytes)
                compared += 1
                if bytes.withUnsafeBufferPointer({ QueryLineParser.query(from: $0, line: 3) }) != nil { takenByHand += 1 }
                let text = String(decoding: bytes, as: UTF8.self)
                #expect(viaLoader.0 == general.0, "\(text)")
                #expect(viaLoader.1 == general.1, "\(text)")
                if let a = viaLoader.0, let b = general.0 {
                    #expect(zip(a.candidates, b.candidates).allSatisfy { $0.firstStageScore?.bitPattern == $1.firstStageScore?.bitPattern }, "\(text)")
                }
            }
        }
        // Both kinds must be exercised: damage the hand reading takes (in a text, a digit) and damage it leaves.
        #expect(takenByHand > compared / 20)
        #expect(takenByHand < compared * 9 / 10)
    }

    @Test func aLoadedFileIsTheSameEitherWay() throws {
        // (Their query ids differ, so the file is valid as a whole.)
        let text = Self.wellFormed.joined(separator: "\n")
        let path = Fixtures.write(text)
        let dataset = try loader.load(path: path)
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var issues = IssueCollector(file: path, limit: 10)
            let general = loader.parseLineInGeneral(Array(line.utf8)[...], line: lineNumber, collector: &issues)
            #expect(dataset.queries.contains { $0 == general }, "line \(lineNumber)")
        }
        #expect(dataset.queries.count == Self.wellFormed.count)
    }
}

/// The numbers read by hand, against the C library's `strtod` and `Double(String)`.
@Suite struct DecimalDoubleTests {
    func hand(_ text: String) -> Double {
        Array(text.utf8).withUnsafeBufferPointer { DecimalDouble.value(of: $0) }
    }

    func strtodValue(_ text: String) -> Double {
        text.withCString { strtod($0, nil) }
    }

    static let edges = [
        "0", "-0", "0.0", "-0.0", "0e0", "0e999", "-0e-999", "1", "-1", "0.1", "0.2", "0.3", "0.30000000000000004",
        "1e22", "1e23", "-1e22", "1e-22", "1e-23", "123e-22", "9007199254740992", "9007199254740993", "9007199254740991",
        "18014398509481984", "1152921504606846975", "1152921504606846976", "11529215046068469760",
        "123456789012345678901234567890", "0.000000000000000000000000000001", "1.7976931348623157e308",
        "1.7976931348623159e308", "1e309", "-1e999", "4.9e-324", "5e-324", "2.4703282292062327e-324",
        "2.2250738585072014e-308", "2.2250738585072011e-308", "1e-400", "1E5", "1e+5", "1e-5", "1.5e-22",
        "0.82", "0.79", "0.9999", "1.0", "2.5E+3", "100000000000000000000000", "3.141592653589793238462643383279",
        "1e0000000000000000000000000000022", "1e-0000000000022", "0.00000000000000000000001e22",
        "1" + String(repeating: "0", count: 400), "0." + String(repeating: "0", count: 400) + "1",
    ]

    @Test(arguments: edges)
    func edgeNumbersAreStrtods(_ text: String) {
        let expected = strtodValue(text)
        #expect(hand(text).bitPattern == expected.bitPattern, "\(text): \(hand(text)) vs strtod \(expected)")
        // What the general reading always did with a number's text.
        let before = Double(text) ?? (text.hasPrefix("-") ? -.infinity : .infinity)
        #expect(hand(text).bitPattern == before.bitPattern, "\(text) vs Double(String)")
    }

    @Test func randomNumbersAreStrtods() {
        var random = SplitMix64(seed: 7)
        var byOneOperation = 0
        for _ in 0..<100_000 {
            var text = Bool.random(using: &random) ? "-" : ""
            let digits = Int.random(in: 1...20, using: &random)
            var digitText = String(Int.random(in: 1...9, using: &random))
            for _ in 1..<digits { digitText += String(Int.random(in: 0...9, using: &random)) }
            if Int.random(in: 0..<8, using: &random) == 0 { digitText = "0" }
            text += digitText
            if Bool.random(using: &random) {
                text += "." + (0..<Int.random(in: 1...18, using: &random)).map { _ in String(Int.random(in: 0...9, using: &random)) }.joined()
            }
            if Int.random(in: 0..<3, using: &random) == 0 {
                text += ["e", "E"].randomElement(using: &random)! + ["", "+", "-"].randomElement(using: &random)!
                text += String(Int.random(in: 0...40, using: &random))
            }
            let value = hand(text)
            if Array(text.utf8).withUnsafeBufferPointer({ DecimalDouble.exactByOneOperation($0) }) != nil { byOneOperation += 1 }
            guard value.bitPattern == strtodValue(text).bitPattern else {
                Issue.record("\(text): \(value) vs strtod \(strtodValue(text))")
                return
            }
        }
        // The fast path itself must be what was checked, most of the time.
        #expect(byOneOperation > 30_000)
    }
}
