import Foundation
import RerankKit
import RerankTestSupport
import Testing

@Suite struct DatasetSplitterTests {
    /// 40 queries of 8 users (5 each); users u0-u3 have a relevant candidate on every query,
    /// u4-u7 on none; every line carries metadata that the copy must keep.
    static let grouped: String = (0..<40).map { i in
        let user = i / 5
        let label = user < 4 ? 2 : 0
        return #"{"query_id": "q\#(i)", "query": "question \#(i)", "user_id": "u\#(user)", "metadata": {"n": \#(i), "tags": ["a", "b"]}, "candidates": [{"id": "m\#(i)", "text": "memory \#(i)", "relevance": \#(label), "score": 0.5}]}"#
    }.joined(separator: "\n") + "\n"

    /// 50 queries, 10 of them with a relevant candidate (queries 0, 5, 10, ...).
    static let ungrouped: String = (0..<50).map { i in
        #"{"query_id": "q\#(i)", "query": "question \#(i)", "candidates": [{"id": "m", "text": "t", "relevance": \#(i % 5 == 0 ? 1 : 0)}]}"#
    }.joined(separator: "\n") + "\n"

    func split(_ text: String, test: Double = 0.3, seed: UInt64, by: String? = nil) throws -> (DatasetSplitter.Outcome, Dataset) {
        let path = Fixtures.write(text)
        let outcome = try DatasetSplitter(testFraction: test, seed: seed, groupField: by).split(path: path)
        let copy = try DatasetLoader().load(path: Fixtures.write(outcome.text, name: "split.jsonl"))
        return (outcome, copy)
    }

    @Test func deterministicForASeedAndDifferentAcrossSeeds() throws {
        let (a, _) = try split(Self.ungrouped, seed: 7)
        let (b, _) = try split(Self.ungrouped, seed: 7)
        #expect(a.text == b.text)
        let others = try (1...5).map { try split(Self.ungrouped, seed: UInt64(100 + $0)).0.sides }
        #expect(others.contains { $0 != a.sides }, "five other seeds all gave the same split")
    }

    @Test func stratifiedByWhetherAQueryHasARelevantCandidate() throws {
        for seed in UInt64(1)...20 {
            let (outcome, copy) = try split(Self.ungrouped, seed: seed)
            // 30% of the 10 queries with something relevant, and 30% of the 40 without, exactly.
            #expect(outcome.testWithRelevant == 3 && outcome.devWithRelevant == 7, "seed \(seed)")
            #expect(outcome.testQueries == 15 && outcome.devQueries == 35, "seed \(seed)")
            #expect(copy.queries.filter { $0.split == .test }.count == 15)
            #expect(copy.queries.allSatisfy { $0.split != nil })
        }
    }

    @Test func groupsNeverStraddleAndStrataStayBalanced() throws {
        for seed in UInt64(1)...20 {
            let (outcome, copy) = try split(Self.grouped, seed: seed, by: "user_id")
            var sideOfUser: [String: Set<DatasetSplit>] = [:]
            for q in copy.queries { sideOfUser[q.userID!, default: []].insert(q.split!) }
            #expect(sideOfUser.values.allSatisfy { $0.count == 1 }, "seed \(seed): a user's queries straddle the split")
            #expect(outcome.groups == 8)
            // Each stratum has 4 users of 5 queries (20 queries); 30% is 6, closest reachable is 5 (one user).
            #expect(outcome.testWithRelevant == 5 && outcome.testQueries == 10, "seed \(seed)")
        }
        // Without --by the same file is split query by query: users straddle for some seed.
        let (_, loose) = try split(Self.grouped, seed: 3)
        var sides: [String: Set<DatasetSplit>] = [:]
        for q in loose.queries { sides[q.userID!, default: []].insert(q.split!) }
        #expect(sides.values.contains { $0.count == 2 })
    }

    @Test func theCopyKeepsEveryFieldAndReplacesAnOldSplit() throws {
        let (first, _) = try split(Self.grouped, seed: 1, by: "user_id")
        let line = try #require(first.text.split(separator: "\n").first)
        let value = try JSONParser.parse(String(line))
        #expect(value["metadata"]?["tags"] != nil && value["user_id"] == .string("u0"))
        #expect(value["split"] == .string("dev") || value["split"] == .string("test"))
        // Splitting the split copy again with another seed rewrites the field, once per line.
        let (second, _) = try split(first.text, seed: 2, by: "user_id")
        #expect(second.text.split(separator: "\n").allSatisfy { $0.components(separatedBy: "\"split\"").count == 2 })
    }

    @Test func aQueryWithoutTheGroupFieldIsAGroupAlone() throws {
        let text = Self.ungrouped.replacingOccurrences(of: #""query_id": "q0","#, with: #""query_id": "q0", "user_id": 5,"#)
            .replacingOccurrences(of: #""query_id": "q1","#, with: #""query_id": "q1", "user_id": 5,"#)
        let (outcome, copy) = try split(text, seed: 4, by: "user_id")
        #expect(outcome.groups == 49 && outcome.withoutGroupField == 48)
        #expect(copy.queries[0].split == copy.queries[1].split)
    }

    @Test func aGroupFieldNoQueryHasIsAnErrorNamingTheFix() {
        do {
            _ = try split(Self.ungrouped, seed: 1, by: "conversation_id")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("conversation_id: no query line has a \"conversation_id\" field"), "\(error)")
            #expect((error as? InputError)?.issues.first?.remedies.contains(.drop(.groupBy)) == true, "the fix: group by another field, or by none")
        }
    }

    @Test func assignmentByHand() {
        // Units of sizes 1, 1, 1, 1 in one stratum, fraction 0.5: exactly 2 go to test.
        let units = (0..<4).map { DatasetSplitter.Unit(members: [$0], relevant: true) }
        let sides = DatasetSplitter.assign(units, queryCount: 4, testFraction: 0.5, seed: 9)
        #expect(sides.filter { $0 == .test }.count == 2)
        #expect(DatasetSplitter.units(keys: ["a", nil, "a", nil], relevant: [true, false, false, true])
                == [.init(members: [0, 2], relevant: true), .init(members: [1], relevant: false), .init(members: [3], relevant: true)])
    }
}
