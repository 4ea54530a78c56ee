import Foundation
import RerankKit
@testable import RerankCore
import RerankTestSupport
import Testing

/// `Tests/Fixtures/locomo-small.json` follows locomo10.json's layout exactly (key order, indent,
/// `\u` escapes, image turns, a date key with no session, a session with no date) and carries the
/// odd evidence the real file has: several ids in one string, zero padding, a stray colon, an id
/// that names nothing, empty evidence, category 5 with and without `answer`, a QA with no answer.
@Suite struct LoCoMoImporterTests {
    let fixture = Fixtures.repoPath("Tests/Fixtures/locomo-small.json")

    func load(_ importer: LoCoMoImporter) throws -> (ImportedDataset, [String: Query]) {
        let imported = try importer.importQueries()
        return (imported, Dictionary(uniqueKeysWithValues: imported.queries.map { ($0.id, $0) }))
    }

    /// Relevant ids a query has anywhere: candidates labelled 1 plus judgments.
    func relevant(_ q: Query) -> Set<String> {
        Set(q.candidates.filter { $0.relevance == 1 }.map(\.id)).union(q.judgments.filter { $0.value == 1 }.keys)
    }

    @Test func relevantCandidatesAreExactlyTheEvidenceTurns() throws {
        // Checked by hand against the fixture's `qa` entries.
        let (imported, byID) = try load(LoCoMoImporter(path: fixture))
        let expected: [String: Set<String>] = [
            "conv-a/q1": ["D1:3"],
            "conv-a/q2": ["D2:2"],
            "conv-a/q3": ["D1:5", "D2:4"],              // two evidence entries
            "conv-a/q4": ["D1:2", "D2:3"],              // "D1:2; D2:3"
            "conv-a/q5": ["D2:1", "D3:2"],              // "D2:1 D3:2"
            "conv-a/q10": ["D1:4"],                     // "D1:04"
            "conv-a/q11": ["D3:1"],                     // "D:3:1"
            "conv-a/q12": ["D3:3"],                     // "D9:9" names no turn
            "conv-a/q13": ["D2:1"],                     // no answer key
            "conv-b/q1": ["D1:1"],
            "conv-b/q2": ["D1:2", "D1:4"],
        ]
        #expect(Set(byID.keys) == Set(expected.keys))
        #expect(imported.queries.map(\.id).first == "conv-a/q1", "file order is kept")
        for (qid, turns) in expected {
            let q = try #require(byID[qid])
            #expect(relevant(q) == turns, "\(qid)")
            // Every other candidate is judged 0; nothing is unjudged.
            #expect(q.candidates.allSatisfy { $0.relevance == (turns.contains($0.id) ? 1 : 0) }, "\(qid)")
            #expect(q.userID == qid.components(separatedBy: "/")[0])
        }
        // conv-a has 14 turns, fewer than BM25's default depth, so every turn is a candidate.
        #expect(byID["conv-a/q1"]!.candidates.count == 14)
        #expect(byID["conv-a/q1"]!.text == "When did Ana adopt her kitten?")
    }

    @Test func turnTextCarriesSpeakerDateAndCaption() throws {
        let (_, byID) = try load(LoCoMoImporter(path: fixture))
        let texts = Dictionary(uniqueKeysWithValues: byID["conv-a/q2"]!.candidates.map { ($0.id, $0.text) })
        #expect(texts["D1:3"] == "[2:10 pm on 3 March, 2023] Ana: Nice! I adopted a grey kitten called Pixel last Sunday.")
        #expect(texts["D2:2"] == "[9:00 am on 10 March, 2023] Ana: Look, this is the trail where I run every morning. [shares a photo of a dirt path through a pine forest]")
        #expect(texts["D2:4"]!.hasSuffix("[shares a photo of a stack of books on a desk]"), "a caption without img_url")
        #expect(texts["D3:1"] == "Ana: Pixel knocked the blue vase off the shelf, sorry!", "session 3 has no date")
        #expect(texts["D1:6"]!.contains("marathon \u{1F31F} I"), "a surrogate-pair escape reads as one character")
    }

    @Test func dropsAndRepairsAreReportedWithReasons() throws {
        let (imported, _) = try load(LoCoMoImporter(path: fixture))
        let notes = Dictionary(uniqueKeysWithValues: imported.notes.map { ($0.reason, $0) })
        let skipped = try #require(notes.first { $0.key.hasPrefix("adversarial") }?.value)
        #expect(skipped.count == 2 && skipped.examples == ["conv-a/q7", "conv-a/q8"])
        let noEvidence = try #require(notes.first { $0.key.hasPrefix("questions with no evidence") }?.value)
        #expect(noEvidence.examples == ["conv-a/q6"])
        let badIDs = try #require(notes.first { $0.key.hasPrefix("evidence ids that name no turn") }?.value)
        #expect(badIDs.examples == ["conv-a/q9 \"D\"", "conv-a/q12 \"D9:9\""])
        let noTurn = try #require(notes.first { $0.key.hasPrefix("questions whose evidence names no turn") }?.value)
        #expect(noTurn.examples == ["conv-a/q9"])
        let lenient = try #require(notes.first { $0.key.hasPrefix("evidence ids read leniently") }?.value)
        #expect(lenient.examples == ["conv-a/q10 \"D1:04\" as D1:4", "conv-a/q11 \"D:3:1\" as D3:1"])
        let undated = try #require(notes.first { $0.key.hasPrefix("sessions with no date") }?.value)
        #expect(undated.examples == ["conv-a session_3"])
    }

    @Test func adversarialKeptWhenAsked() throws {
        let (imported, byID) = try load(LoCoMoImporter(path: fixture, adversarial: .keep))
        #expect(imported.queries.count == 13)
        #expect(relevant(byID["conv-a/q7"]!) == ["D2:5"])
        #expect(relevant(byID["conv-a/q8"]!) == ["D3:1"])
    }

    @Test func depthCutsCandidatesNeverJudgments() throws {
        let (_, byID) = try load(LoCoMoImporter(path: fixture, depth: 3))
        for q in byID.values {
            #expect(q.candidates.count == 3)
            let pool = Set(q.candidates.map(\.id))
            #expect(q.judgments.keys.allSatisfy { !pool.contains($0) })
        }
        // The same relevant set as without a cut, split between pool and judgments.
        #expect(relevant(byID["conv-a/q3"]!) == ["D1:5", "D2:4"])
        #expect(relevant(byID["conv-b/q2"]!) == ["D1:2", "D1:4"])
        // BM25 order: scores descending, the first candidate shares the question's words.
        let q = byID["conv-b/q1"]!
        #expect(q.candidates[0].id == "D1:1")
        let scores = q.candidates.compactMap(\.firstStageScore)
        #expect(scores == scores.sorted(by: >))
    }

    @Test func observationsAreRelevantWhenTheyCiteAnEvidenceTurn() throws {
        let (imported, byID) = try load(LoCoMoImporter(path: fixture, kind: .observations))
        // Session 1: Ana's two, then Ben's two; session 2: Ben's two ("D2:3, D2:5"), then Ana's (a list).
        #expect(relevant(byID["conv-a/q1"]!) == ["O1:1"])
        #expect(relevant(byID["conv-a/q3"]!) == ["O1:2", "O2:3"])
        #expect(relevant(byID["conv-a/q4"]!) == ["O1:3", "O2:2"])
        #expect(relevant(byID["conv-a/q10"]!) == ["O1:4"])
        #expect(relevant(byID["conv-b/q2"]!) == ["O1:2"])
        #expect(byID["conv-a/q1"]!.candidates.count == 7)
        // Session 3 has no observation: its questions are reported, not imported.
        #expect(byID["conv-a/q11"] == nil && byID["conv-a/q12"] == nil)
        #expect(imported.notes.contains { $0.reason.hasPrefix("questions whose evidence turns no observation cites") && $0.examples == ["conv-a/q11", "conv-a/q12"] })
    }

    @Test func summariesAreRelevantForTheEvidenceSessions() throws {
        let (_, byID) = try load(LoCoMoImporter(path: fixture, kind: .summaries))
        #expect(relevant(byID["conv-a/q1"]!) == ["S1"])
        #expect(relevant(byID["conv-a/q3"]!) == ["S1", "S2"])
        #expect(relevant(byID["conv-a/q11"]!) == ["S3"])
        #expect(byID["conv-a/q1"]!.candidates.map(\.id).sorted() == ["S1", "S2", "S3"])
    }

    @Test func aRunFileChoosesTheCandidates() throws {
        let run = Fixtures.repoPath("Tests/Fixtures/locomo-small.run")
        let (imported, byID) = try load(LoCoMoImporter(path: fixture, firstStage: .run(path: run)))
        #expect(imported.queries.map(\.id) == ["conv-a/q1", "conv-a/q3", "conv-b/q2"])
        let q3 = byID["conv-a/q3"]!
        #expect(q3.candidates.map(\.id) == ["D2:4", "D1:1"])
        #expect(q3.candidates.map(\.firstStageScore) == [8.0, 7.5])
        #expect(q3.candidates.map(\.relevance) == [1, 0])
        #expect(q3.judgments == ["D1:5": 1])
        #expect(byID["conv-b/q2"]!.judgments == ["D1:4": 1])
        #expect(imported.notes.contains { $0.reason.hasPrefix("questions with no line in the run") && $0.count == 8 })
        #expect(imported.notes.contains { $0.reason.hasPrefix("run queries that name no question") && $0.examples == ["\"conv-z/q1\""] })
    }

    @Test func aRunNamingAnUnknownItemIsAFileLineError() throws {
        let run = Fixtures.write("conv-a/q1 Q0 D1:3 1 2.0 bm25\nconv-a/q1 Q0 D7:1 2 1.0 bm25\n", name: "x.run")
        do {
            _ = try LoCoMoImporter(path: fixture, firstStage: .run(path: run)).importQueries()
            Issue.record("expected an error")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.description.contains("x.run:2: docid: \"D7:1\" is not one of the turns of \"conv-a\""))
        }
    }

    @Test func structuralErrorsNameTheFieldAndTheFix() {
        let bad = #"[{"sample_id": "c1", "conversation": {"session_1": [{"speaker": "A", "text": "hi"}]}, "qa": [{"question": "q", "evidence": "D1:1", "category": 1}, {"evidence": ["D1:1"]}]}]"#
        do {
            _ = try LoCoMoImporter(path: Fixtures.write(bad, name: "bad.json")).importQueries()
            Issue.record("expected an error")
        } catch {
            let text = error.description
            #expect(text.contains("bad.json: [0].conversation.session_1[0].dia_id: missing or not a string; turns are named like \"D1:1\""))
            #expect(text.contains("bad.json: [0].qa[1].question: missing"))
        }
        do {
            _ = try LoCoMoImporter(path: Fixtures.write("[\n  {\"qa\": [,]}\n]", name: "broken.json")).importQueries()
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("broken.json:2: invalid JSON at column") || error.description.contains("/broken.json:2: invalid JSON at column"))
        }
    }

    @Test func evidenceTokens() {
        #expect(LoCoMoEvidence.tokens("D8:6; D9:17") == [.exact("D8:6"), .exact("D9:17")])
        #expect(LoCoMoEvidence.tokens("D26:14, D26:34") == [.exact("D26:14"), .exact("D26:34")])
        #expect(LoCoMoEvidence.tokens("D30:05") == [.lenient(written: "D30:05", readAs: "D30:5")])
        #expect(LoCoMoEvidence.tokens("D") == [.unreadable("D")])
        #expect(LoCoMoEvidence.tokens("") == [])
    }

    @Test func writtenDatasetLoadsBack() throws {
        let imported = try LoCoMoImporter(path: fixture, depth: 4).importQueries()
        let out = Fixtures.temporaryDirectory() + "/locomo.jsonl"
        try DatasetWriter.write(imported.queries, to: out)
        let d = try DatasetLoader().load(path: out)
        #expect(d.queries.count == imported.queries.count)
        #expect(d.queries.map(\.judgments) == imported.queries.map(\.judgments))
        #expect(d.queries.map { $0.candidates.map(\.id) } == imported.queries.map { $0.candidates.map(\.id) })
    }

    /// The real file is not in the repository (its licence and size); set LOCOMO10_JSON to its
    /// path to check it. The expected sets were read off the file's `qa` entries by hand, the
    /// odd evidence strings among them.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LOCOMO10_JSON"] != nil))
    func realLoCoMo10() throws {
        let path = ProcessInfo.processInfo.environment["LOCOMO10_JSON"]!
        let (imported, byID) = try load(LoCoMoImporter(path: path, depth: 10))
        #expect(imported.queries.count == 1536)
        let expected: [String: Set<String>] = [
            "conv-26/q1": ["D1:3"],
            "conv-26/q2": ["D1:12"],
            "conv-26/q3": ["D1:9", "D1:11"],
            "conv-26/q38": ["D8:6", "D9:17"],                                          // "D8:6; D9:17"
            "conv-42/q59": ["D2:14", "D9:12", "D9:14", "D10:11", "D19:17", "D27:23"],  // D10:19 is no turn
            "conv-42/q89": ["D1:18", "D1:20"],                                         // and "D"
            "conv-43/q19": ["D1:14", "D2:7", "D4:7", "D5:15", "D11:26", "D20:21", "D26:36"],  // "D:11:26"
            "conv-49/q32": ["D9:1", "D4:4", "D4:6"],                                   // "D9:1 D4:4 D4:6"
            "conv-50/q70": ["D30:5"],                                                  // "D30:05"
        ]
        for (qid, turns) in expected {
            let q = try #require(byID[qid], "\(qid)")
            #expect(relevant(q) == turns, "\(qid)")
            #expect(q.candidates.count == 10)
            #expect(q.candidates.allSatisfy { $0.relevance == (turns.contains($0.id) ? 1 : 0) }, "\(qid)")
        }
        let out = Fixtures.temporaryDirectory() + "/locomo10.jsonl"
        try DatasetWriter.write(imported.queries, to: out)
        #expect(try DatasetLoader().load(path: out).queries.count == 1536)
    }
}
