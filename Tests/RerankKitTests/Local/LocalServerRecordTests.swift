import Foundation
import RerankKit
@testable import RerankCore
@testable import RerankProviders
@testable import RerankStore
import RerankTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Server records in a model home: where they live, which survive `live(in:)`, and stopping a
/// server that is already gone. The only live process used is this test process itself, in
/// records that `live(in:)` never signals (persistent, or owned by a living process).
@Suite struct LocalServerRecordTests {
    /// No process has this id (above every kernel's pid_max).
    static let deadPID: Int32 = Int32.max - 1

    func home() -> LocalModelHome { LocalModelHome(root: Fixtures.temporaryDirectory() + "/llm") }

    func record(pid: Int32, port: Int, owner: Int32) -> LocalServerRecord {
        LocalServerRecord(pid: pid, port: port, modelPath: "/m.gguf", owner: owner, slots: 2, startedAt: "2025-03-04T12:00:00Z")
    }

    @Test func urlsPathsAndPersistence() {
        let h = LocalModelHome(root: "/h")
        let r = record(pid: 10, port: 41234, owner: 0)
        #expect(r.baseURL == "http://127.0.0.1:41234" && r.isPersistent)
        #expect(!record(pid: 10, port: 1, owner: 5).isPersistent)
        #expect(LocalServerRecord.file(h, port: 41234) == "/h/servers/41234.json")
        #expect(LocalServerRecord.logFile(h, port: 41234) == "/h/servers/41234.log")
    }

    @Test func recordsReadBackAndDeadOnesAreRemovedWithTheirLogs() throws {
        let h = home()
        let me = getpid()
        let persistent = record(pid: me, port: 2001, owner: 0)
        let owned = record(pid: me, port: 2002, owner: me)
        let dead = record(pid: Self.deadPID, port: 2003, owner: me)
        for r in [persistent, owned, dead] {
            try r.write(to: h)
            Fixtures.write("log\n", name: "\(r.port).log", in: h.serversDirectory)
        }
        Fixtures.write("{not json", name: "2004.json", in: h.serversDirectory)
        Fixtures.write("notes", name: "README", in: h.serversDirectory)
        #expect(LocalServerRecord.live(in: h) == [persistent, owned])
        let left = try FileManager.default.contentsOfDirectory(atPath: h.serversDirectory).sorted()
        // The dead server's record and log are gone; a file that is not a record is left alone.
        #expect(left == ["2001.json", "2001.log", "2002.json", "2002.log", "2004.json", "README"])
        #expect(LocalServerRecord.live(in: LocalModelHome(root: h.root + "/nothing")) == [])
    }

    @Test func processIsAliveOnlyForRealPositivePids() {
        #expect(LocalServerRecord.processIsAlive(getpid()))
        #expect(!LocalServerRecord.processIsAlive(0))
        #expect(!LocalServerRecord.processIsAlive(-1))
        #expect(!LocalServerRecord.processIsAlive(Self.deadPID))
    }

    @Test func stoppingAServerThatIsGoneSendsNothingAndForgetsIt() async throws {
        var stopping = LocalServer.Stopping(pid: Self.deadPID)
        #expect(stopping.next() == nil && stopping.outcome == .alreadyGone)
        let h = home()
        let r = record(pid: Self.deadPID, port: 2010, owner: 0)
        try r.write(to: h)
        #expect(await LocalServer.stop(r, home: h) == .alreadyGone)
        #expect(!FileManager.default.fileExists(atPath: LocalServerRecord.file(h, port: 2010)))
    }
}
