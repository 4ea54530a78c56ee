import Foundation
import RerankKit
@testable import RerankStore
import RerankTestSupport
import Testing

/// The store's open skips reading every page when the file is exactly as a clean close left it
/// after a check (`IntegrityStamp`), and checks again whenever it is not.
@Suite struct IntegrityStampTests {
    typealias Base = RunStoreTests

    func addRun(_ store: RunStore) throws {
        _ = try store.beginRun(prompt: Base.prompt, settings: Base.settings(), dataset: Fixtures.dataset(queries: 1, candidates: 1), planned: 1)
    }

    @Test func aCleanCloseNotesTheStoreAndAnOpenStoreIsNotNoted() throws {
        let path = Base.storePath()
        do {
            let store = try RunStore(path: path)
            try addRun(store)
            // Open and written: its log holds the write, so it is not as any close left it.
            #expect(IntegrityStamp.current(path) == nil)
            #expect(!IntegrityStamp.matches(path))
        }
        #expect(FileManager.default.fileExists(atPath: IntegrityStamp.notePath(path)))
        #expect(IntegrityStamp.matches(path))
        // Opened and closed again without a change: still noted, and the run is there.
        do {
            let store = try RunStore(path: path)
            #expect(try store.resolve("last") == 1)
        }
        #expect(IntegrityStamp.matches(path))
    }

    @Test func aFileChangedSinceItsNoteIsNotTrusted() throws {
        let path = Base.storePath()
        do { try addRun(try RunStore(path: path)) }
        #expect(IntegrityStamp.matches(path))
        // Another modification time (what any write by another program gives).
        var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        #expect(!IntegrityStamp.matches(path))
        // A log left with content beside the file (a killed process, another writer).
        do { try addRun(try RunStore(path: path)) }
        #expect(IntegrityStamp.matches(path))
        #expect(FileManager.default.createFile(atPath: path + "-wal", contents: Data(repeating: 1, count: 32)))
        #expect(!IntegrityStamp.matches(path))
        try FileManager.default.removeItem(atPath: path + "-wal")
        #expect(IntegrityStamp.matches(path))
        // A note that does not read whole is no note.
        try Data("rerankbench store checked: device=1 inode=".utf8).write(to: URL(fileURLWithPath: IntegrityStamp.notePath(path)))
        #expect(IntegrityStamp.noted(path) == nil && !IntegrityStamp.matches(path))
    }

    @Test func aDamagedStoreLosesItsNoteAndIsRefusedAgainNextTime() throws {
        let path = Base.storePath()
        do {
            let store = try RunStore(path: path)
            for _ in 0..<200 { try addRun(store) }
        }
        #expect(IntegrityStamp.matches(path))
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: 4096 * 2)
        handle.write(Data(repeating: 0xA5, count: 4096 * 6))
        try handle.close()
        for _ in 0..<2 {
            #expect {
                _ = try RunStore(path: path)
            } throws: { error in
                (error as? StoreError)?.code == .damaged && "\(error)".contains(path)
            }
            #expect(!FileManager.default.fileExists(atPath: IntegrityStamp.notePath(path)))
        }
    }
}
