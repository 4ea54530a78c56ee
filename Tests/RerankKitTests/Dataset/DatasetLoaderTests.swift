import Foundation
import RerankKit
import RerankTestSupport
import Testing

@Suite struct DatasetLoaderTests {
    func load(_ text: String) throws(InputError) -> Dataset {
        try DatasetLoader().load(path: Fixtures.write(text))
    }

    func issues(_ text: String) -> [InputIssue] {
        do {
            _ = try load(text)
            Issue.record("expected an error")
            return []
        } catch {
            return error.issues
        }
    }

    let good = #"{"query_id": "q1", "query": "What foods should I avoid?", "user_id": "alice", "candidates": [{"id": "m1", "text": "I'm allergic to peanuts", "relevance": 2, "score": 0.82}, {"id": "m2", "memory": "I love Italian food", "relevance": 0, "score": 0.79}, {"id": "m3", "text": "I'm vegetarian", "score": 0.61, "metadata": {"category": "diet"}}]}"#

    @Test func specExampleLoads() throws {
        let d = try load(good)
        #expect(d.queries.count == 1)
        let q = d.queries[0]
        #expect(q.userID == "alice")
        #expect(q.candidates.map(\.id) == ["m1", "m2", "m3"])
        #expect(q.candidates[1].text == "I love Italian food")
        #expect(q.candidates[2].relevance == nil)
        #expect(d.contentHash.count == 64)
    }

    @Test func acceptsBOMCRLFCommentsUnknownKeysNumericIDs() throws {
        let text = "\u{FEFF}// a comment\r\n\r\n" + #"{"query_id": 7, "query": "q", "extra": [1, {"a": null}], "candidates": [{"id": 12, "content": "c", "relevance": -1}, {"id": "x", "text": "t", "relevance": 1.0}]}"# + "\r\n   // indented comment\r\n"
        let d = try load(text)
        #expect(d.queries[0].id == "7")
        #expect(d.queries[0].candidates[0].id == "12")
        #expect(d.queries[0].candidates[0].relevance == nil)  // negative = unjudged
        #expect(d.queries[0].candidates[1].relevance == 1)
    }

    @Test func baselineOrderIsByScoreWhenAllHaveOneStableOnTies() throws {
        let text = #"{"query_id": "q", "query": "q", "candidates": [{"id": "a", "text": "a", "score": 0.5}, {"id": "b", "text": "b", "score": 0.9}, {"id": "c", "text": "c", "score": 0.5}]}"#
        #expect(try load(text).queries[0].candidates.map(\.id) == ["b", "a", "c"])
        let partial = #"{"query_id": "q", "query": "q", "candidates": [{"id": "a", "text": "a", "score": 0.5}, {"id": "b", "text": "b"}]}"#
        #expect(try load(partial).queries[0].candidates.map(\.id) == ["a", "b"])
    }

    @Test func memoryWinsOverTextLikeMem0() throws {
        let text = #"{"query_id": "q", "query": "q", "candidates": [{"id": "a", "text": "from text", "memory": "from memory"}]}"#
        #expect(try load(text).queries[0].candidates[0].text == "from memory")
    }

    @Test func missingFile() {
        do {
            _ = try DatasetLoader().load(path: "/nonexistent/data.jsonl")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("/nonexistent/data.jsonl"))
            #expect(error.description.contains("no such file"))
        }
    }

    @Test func emptyFileAndCommentOnlyFile() {
        #expect(issues("")[0].message.contains("empty"))
        #expect(issues("// only a comment\n\n")[0].message.contains("empty"))
    }

    @Test func invalidJSONNamesLineAndColumn() {
        let found = issues(good + "\n{\"query_id\": \"q2\", \"query\": \"x\", \"candidates\": [}\n")
        #expect(found.count == 1)
        #expect(found[0].line == 2)
        #expect(found[0].message.contains("invalid JSON at column"))
    }

    @Test func everyBadLineIsReportedNotOnlyTheFirst() {
        let text = [
            #"{"query": "no id", "candidates": [{"id": "a", "text": "t"}]}"#,
            #"{"query_id": "q2", "candidates": [{"id": "a", "text": "t"}]}"#,
            #"{"query_id": "q3", "query": "x"}"#,
            #"{"query_id": "q4", "query": "x", "candidates": [{"text": "no id"}]}"#,
            #"{"query_id": "q5", "query": "x", "candidates": [{"id": "a"}]}"#,
            #"{"query_id": "q6", "query": 5, "candidates": [{"id": true, "text": 3}]}"#,
            #"{"query_id": "q7", "query": "x", "candidates": [{"id": "a", "text": "t"}, {"id": "a", "text": "u"}]}"#,
            #"{"query_id": "q8", "query": "x", "candidates": [{"id": "a", "text": "t", "score": NaN}, {"id": "b", "text": "t", "score": Infinity}, {"id": "c", "text": "t", "score": 1e999}]}"#,
            #"{"query_id": "q9", "query": "x", "candidates": [{"id": "a", "text": "t", "relevance": 1.5}, {"id": "b", "text": "t", "relevance": "2"}]}"#,
            #"{"query_id": "q10", "query": "x", "candidates": []}"#,
            #"[1, 2]"#,
        ].joined(separator: "\n")
        let found = issues(text)
        let byLine = Dictionary(grouping: found, by: \.line)
        #expect(byLine[1]?.first?.field == "query_id")
        #expect(byLine[2]?.first?.field == "query")
        #expect(byLine[3]?.first?.field == "candidates")
        #expect(byLine[4]?.first?.field == "candidates[0].id")
        #expect(byLine[5]?.first?.field == "candidates[0].text")
        #expect(Set(byLine[6]?.map(\.field) ?? []) == ["query", "candidates[0].id", "candidates[0].text"])
        #expect(byLine[7]?.first?.message.contains("duplicate id \"a\"") == true)
        #expect(byLine[8]?.map(\.field) == ["candidates[0].score", "candidates[1].score", "candidates[2].score"])
        #expect(byLine[9]?.map(\.field) == ["candidates[0].relevance", "candidates[1].relevance"])
        #expect(byLine[10]?.first?.message.contains("at least one candidate") == true)
        #expect(byLine[11]?.first?.message.contains("expected a JSON object") == true)
        for issue in found {
            #expect(issue.description.hasPrefix(issue.file + ":\(issue.line): "))
        }
    }

    @Test func duplicateQueryIDs() {
        let found = issues(good + "\n" + good)
        #expect(found.count == 1)
        #expect(found[0].line == 2)
        #expect(found[0].message.contains("first used on line 1"))
    }

    @Test func issueLimitCountsTheRest() {
        let bad = Array(repeating: "{", count: 30).joined(separator: "\n")
        do {
            _ = try DatasetLoader(issueLimit: 5).load(path: Fixtures.write(bad))
        } catch {
            #expect(error.issues.count == 5)
            #expect(error.moreCount == 25)
            #expect(error.description.contains("and 25 more problems"))
        }
    }

    @Test func queryWithoutJudgmentsLoadsWithWarning() throws {
        let text = #"{"query_id": "q", "query": "q", "candidates": [{"id": "a", "text": "a"}]}"#
        let d = try load(text)
        #expect(d.warnings.count == 1)
        #expect(d.warnings[0].contains("no judged candidate"))
    }

    @Test func largeFileStreams() throws {
        // 5k queries: the loader must not choke on size (the speed figure lives in BENCHMARKS.md).
        var text = ""
        for i in 0..<5_000 {
            text += #"{"query_id": "q\#(i)", "query": "query \#(i)", "candidates": [{"id": "a", "text": "alpha beta", "relevance": 1, "score": 0.4}, {"id": "b", "text": "gamma", "relevance": 0, "score": 0.3}]}"# + "\n"
        }
        let d = try load(text)
        #expect(d.queries.count == 5_000)
        #expect(d.candidateCount == 10_000)
    }

    @Test func readsTheSplitAndRejectsAnyOtherValue() throws {
        let dev = good.replacingOccurrences(of: #""user_id": "alice","#, with: #""user_id": "alice", "split": "dev","#)
        let test = dev.replacingOccurrences(of: #""query_id": "q1""#, with: #""query_id": "q2""#).replacingOccurrences(of: #""dev""#, with: #""test""#)
        let d = try load(dev + "\n" + test + "\n" + good.replacingOccurrences(of: #""q1""#, with: #""q3""#))
        #expect(d.queries.map(\.split) == [.dev, .test, nil])
        #expect(d.hasSplits)
        #expect(d.selecting(.dev).queries.map(\.id) == ["q1"])
        #expect(d.selecting(.test).queries.map(\.id) == ["q2"])
        #expect(d.selecting(.all).queries.count == 3)
        #expect(SplitSelection.default(for: d) == .dev)
        let bad = issues(dev + "\n" + good.replacingOccurrences(of: #""q1","#, with: #""q9", "split": "train","#)
                         + "\n" + good.replacingOccurrences(of: #""q1","#, with: #""q8", "split": 1,"#))
        #expect(bad.map(\.line) == [2, 3])
        #expect(bad.map(\.field) == ["split", "split"])
        #expect(bad[0].description.contains("\"train\" is not a split; use \"dev\" or \"test\""), "\(bad[0])")
    }

    @Test func aSplitOnAFileWithoutOneIsAnErrorNamingTheFix() throws {
        let d = try load(good)
        #expect(SplitSelection.default(for: d) == .all)
        #expect(try SplitSelection.resolve(nil, for: d) == .all)
        #expect(throws: RecipeError.self) { try SplitSelection.resolve(.test, for: d) }
        do { _ = try SplitSelection.resolve(.dev, for: d) } catch {
            #expect(error.code == .badSplit)
            #expect(error.remedies == [.makeSplit(dataset: d.path), .use(.split, value: "all")])
        }
    }
}

@Suite struct JSONParserTests {
    @Test func parsesNestedValuesAndEscapes() throws {
        let v = try JSONParser.parse(#"{"a": [1, -2.5e3, true, false, null], "b": "x\"\n\u00e9\ud83d\ude00"}"#)
        #expect(v["b"] == .string("x\"\né😀"))
        guard case let .array(items)? = v["a"] else { Issue.record("array"); return }
        #expect(items.count == 5)
        #expect(items[1].doubleValue == -2500)
    }

    @Test(arguments: ["{", "[1,]", "{\"a\" 1}", "01", "\"unterminated", "{\"a\": tru}", "1 2", "{\"a\":\"\u{01}\"}"])
    func rejectsInvalid(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func readsPythonNonFiniteTokens() throws {
        #expect(try JSONParser.parse("NaN").doubleValue?.isNaN == true)
        #expect(try JSONParser.parse("-Infinity").doubleValue == -.infinity)
    }

    /// Lines are parsed in parallel batches; the problems must come out in line order, as one
    /// line at a time gave them, with duplicates found across batches and the limit counted.
    @Test func problemsOfALargeFileComeInLineOrder() throws {
        var lines: [String] = []
        for i in 0..<600 {
            switch i % 50 {
            case 7: lines.append("{\"query_id\": \"q\(i)\", \"query\": \"\", \"candidates\": [{\"id\": \"a\", \"text\": \"\"}]}")
            case 21: lines.append("{\"query_id\": \"q3\", \"query\": \"again\", \"candidates\": [{\"id\": \"a\", \"text\": \"t\"}]}")
            case 33: lines.append("{not json")
            default: lines.append("{\"query_id\": \"q\(i)\", \"query\": \"x\", \"candidates\": [{\"id\": \"a\", \"text\": \"t\", \"relevance\": 1}]}")
            }
        }
        let path = Fixtures.write(lines.joined(separator: "\n"))
        // Each 50 lines: line 8 has two problems, line 22 a duplicate of q3, line 34 bad JSON.
        for limit in [1_000, 5] {
            do {
                _ = try DatasetLoader(issueLimit: limit).load(path: path)
                Issue.record("the file has problems")
            } catch {
                var expected: [Int] = []
                for b in 0..<12 {
                    let base = b * 50
                    expected += [base + 8, base + 8, base + 22, base + 34]
                }
                #expect(error.issues.map(\.line) == Array(expected.prefix(limit)))
                #expect(error.issues.count + error.moreCount == 48)
                #expect(error.issues.contains { $0.line == 22 && $0.message.contains("first used on line 4") })
            }
        }
    }
}
