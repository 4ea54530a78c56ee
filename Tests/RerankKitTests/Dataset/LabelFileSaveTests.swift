import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// Issue 18 part 1: labels written into the dataset file with every other byte kept, atomically,
/// with a backup and a log, and never over a file that changed on disk.
@Suite struct LabelFileSaveTests {
    // Spacing, key order, a number spelled 0.50, an escape, a metadata object, a comment, a
    // judgment outside the pool, a split field and CRLF: all must survive a label change.
    let text = "// labels by hand\n"
        + #"{"query_id": "q1", "query": "What \u00e9 foods?", "candidates": [{"id": "m1", "text": "peanuts {not a brace}", "relevance": 2, "score": 0.50}, {"score": 0.4, "id": "m2", "memory": "Italian", "metadata": {"relevance": 9}}, {"relevance": 1, "id": "m3", "text": "vegetarian"}], "judgments": {"d9": 1, "m3": 1}, "split": "dev"}"#
        + "\r\n"
        + #"{"query_id":7,"query":"q","candidates":[{"id":12,"content":"c","relevance":-1}]}"#
        + "\n"

    func key(_ q: String, _ m: String) -> LabelKey { LabelKey(queryID: q, memoryID: m) }

    @Test func changesOnlyTheLabelBytes() throws {
        let path = Fixtures.write(text)
        let loaded = try DatasetLoader().load(path: path)
        let labels: [LabelKey: Int?] = [key("q1", "m1"): 0, key("q1", "m2"): 3, key("q1", "m3"): nil, key("7", "12"): 1]
        guard case let .saved(saved, changes, backup) = try LabelFileSave.save(path: path, expectedHash: loaded.contentHash, labels: labels,
                                                                                date: Date(timeIntervalSince1970: 0)) else {
            Issue.record("not saved")
            return
        }
        let written = try String(contentsOfFile: path, encoding: .utf8)
        let expected = "// labels by hand\n"
            + #"{"query_id": "q1", "query": "What \u00e9 foods?", "candidates": [{"id": "m1", "text": "peanuts {not a brace}", "relevance": 0, "score": 0.50}, {"score": 0.4, "id": "m2", "memory": "Italian", "metadata": {"relevance": 9},"relevance":3}, {"id": "m3", "text": "vegetarian"}], "judgments": {"d9": 1}, "split": "dev"}"#
            + "\r\n"
            + #"{"query_id":7,"query":"q","candidates":[{"id":12,"content":"c","relevance":1}]}"#
            + "\n"
        #expect(written == expected)
        // It loads back as the same dataset with the new labels, and a new hash.
        var want = loaded
        for (k, v) in labels { want.setLabel(v, for: k) }
        #expect(saved.queries == want.queries)
        #expect(saved.contentHash != loaded.contentHash)
        #expect(saved.queries[0].judgments == ["d9": 1] && saved.queries[0].split == .dev)
        #expect(changes.count == 4)
        #expect(backup == path + ".bak")
        #expect(try String(contentsOfFile: path + ".bak", encoding: .utf8) == text)
        let log = try String(contentsOfFile: path + ".labels.log", encoding: .utf8)
        #expect(log.contains(#"1970-01-01T00:00:00Z query "q1" memory "m1" 2 -> 0"#))
        #expect(log.contains(#"query "q1" memory "m3" 1 -> unjudged"#))
        #expect(log.contains(#"query "7" memory "12" unjudged -> 1"#))
        #expect(log.split(separator: "\n").count == 4)
    }

    @Test func theBackupIsTheFirstOriginalAndTheLogOnlyGrows() throws {
        let path = Fixtures.write(text)
        let first = try DatasetLoader().load(path: path)
        _ = try LabelFileSave.save(path: path, expectedHash: first.contentHash, labels: [key("q1", "m1"): 0])
        let second = try DatasetLoader().load(path: path)
        guard case let .saved(_, _, backup) = try LabelFileSave.save(path: path, expectedHash: second.contentHash, labels: [key("q1", "m1"): 1]) else {
            Issue.record("not saved")
            return
        }
        #expect(backup == nil)
        #expect(try String(contentsOfFile: path + ".bak", encoding: .utf8) == text)
        let log = try String(contentsOfFile: path + ".labels.log", encoding: .utf8).split(separator: "\n")
        #expect(log.count == 2 && log[0].hasSuffix("2 -> 0") && log[1].hasSuffix("0 -> 1"))
    }

    @Test func aFileChangedOnDiskIsNotWritten() throws {
        let path = Fixtures.write(text)
        let loaded = try DatasetLoader().load(path: path)
        let theirs = text.replacingOccurrences(of: "\"relevance\": 2", with: "\"relevance\": 3")
        try theirs.write(toFile: path, atomically: true, encoding: .utf8)
        guard case .changedOnDisk = try LabelFileSave.save(path: path, expectedHash: loaded.contentHash, labels: [key("q1", "m2"): 1]) else {
            Issue.record("wrote over a changed file")
            return
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == theirs)
        #expect(!FileManager.default.fileExists(atPath: path + ".bak"))
        // "Keep mine": my label goes into their file; their change stays.
        _ = try LabelFileSave.save(path: path, expectedHash: nil, labels: [key("q1", "m2"): 1])
        let merged = try DatasetLoader().load(path: path)
        #expect(merged.label(key("q1", "m1")) == .some(3))
        #expect(merged.label(key("q1", "m2")) == .some(1))
    }

    @Test func aMemoryThatIsGoneStopsTheSave() throws {
        let path = Fixtures.write(text)
        #expect(throws: InputError.self) {
            _ = try LabelFileSave.save(path: path, expectedHash: nil, labels: [key("q1", "nope"): 1])
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    /// A process killed between the write and the rename leaves the old file: the failure is
    /// simulated at exactly that point, and at that point the temporary file already holds the
    /// whole new text while the path still holds the old one.
    @Test func aFailureBetweenWriteAndRenameLeavesTheOldFile() throws {
        let path = Fixtures.write(text)
        let loaded = try DatasetLoader().load(path: path)
        struct Killed: Error {}
        var seen: String?
        #expect(throws: InputError.self) {
            _ = try LabelFileSave.save(path: path, expectedHash: loaded.contentHash, labels: [key("q1", "m1"): 0]) { temporary in
                seen = try String(contentsOfFile: temporary, encoding: .utf8)
                #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
                throw Killed()
            }
        }
        #expect(seen?.contains(#""relevance": 0, "score": 0.50"#) == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        #expect(try DatasetLoader().load(path: path).contentHash == loaded.contentHash)
        // No temporary file is left beside it, and no log line claims a change.
        let folder = (path as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".tmp-") }.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: path + ".labels.log"))
    }

    @Test func atomicWriteKeepsPermissionsAndReplacesWhole() throws {
        let path = Fixtures.write("old\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        try AtomicFile.write(Array("new contents\n".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new contents\n")
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o640)
    }

    /// Without the flushes (the store's integrity note) the write is still whole or not at all:
    /// a failing check leaves the old file and no temporary one, a passing one replaces it.
    @Test func aWriteWithoutFlushesStillReplacesWholeOrNotAtAll() throws {
        let path = Fixtures.write("old\n")
        let folder = (path as NSString).deletingLastPathComponent
        struct Killed: Error {}
        #expect(throws: InputError.self) {
            try AtomicFile.write(Array("new\n".utf8), to: path, durable: false) { temporary in
                #expect(try String(contentsOfFile: temporary, encoding: .utf8) == "new\n")
                throw Killed()
            }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".tmp-") }.isEmpty)
        try AtomicFile.write(Array("new\n".utf8), to: path, durable: false)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".tmp-") }.isEmpty)
    }
}
