import RerankCore
import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif
import Synchronization
import CSQLiteSetup

/// Run history, per-call results and the response cache, in one SQLite file (WAL mode, so a
/// result is on disk as soon as it is recorded and a killed process loses nothing completed).
public final class RunStore: Sendable {
    public let path: String
    let pool: DatabasePool
    /// Whether the store opened whole and nothing read since found it damaged: only then is it
    /// noted as checked when it closes (`IntegrityStamp`).
    private let sound = Atomic<Bool>(false)
    /// Whether the cache may still hold keys written before migration v10 (`CacheKey`): only
    /// then does a lookup that misses try a request's older key. It never becomes true again.
    private let legacyKeys = Atomic<Bool>(false)

    /// `.rerankbench/store.sqlite` under `directory`.
    public static func defaultPath(directory: String = FileManager.default.currentDirectoryPath) -> String {
        (directory as NSString).appendingPathComponent(".rerankbench/store.sqlite")
    }

    /// The store a front end uses: an explicit path (the store option), else `RERANKBENCH_STORE`, else
    /// the default here.
    public static func resolvedPath(_ explicit: String? = nil,
                                    environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let variable = environment["RERANKBENCH_STORE"], !variable.isEmpty { return variable }
        return defaultPath()
    }

    /// Opens (creating if needed) and migrates the store. A file that is not a RerankBench store,
    /// is damaged, or was written by a newer version is refused with a clear error and left untouched.
    public init(path: String) throws(StoreError) {
        _ = Self.sqliteSetUp
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw StoreError(.cannotCreateFolder, path: path, "cannot create the folder \(directory): \(error.localizedDescription)")
            }
        }
        // Two programs creating the same new store at once both saw "no migrations applied"
        // and both ran them ("table cache already exists"). Opening and migrating hold an
        // exclusive lock on the store's folder, so the second waits and finds the work done.
        let lock = FolderLock(directory.isEmpty ? "." : directory)
        defer { lock.release() }
        try Self.checkHeader(path)
        var config = Configuration()
        config.busyMode = .timeout(15)
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            // Reading pages by memory map, not a pread each: a cached re-run reads a reply per pair
            // (about 8% of a 31,000-pair re-run). Only the first 64 MB: every connection maps
            // the file apart and each mapped page it touches counts in the process's resident
            // memory, so a 1 GB limit made a million-pair re-run's 290 MB store 450-500 MB of its
            // peak RSS (765 MB in all; 487 MB with this limit, 365 MB with none, issue 16).
            try db.execute(sql: "PRAGMA mmap_size = 67108864")
            // A commit waits for the disk only at checkpoints: in WAL mode that keeps every
            // committed result through a killed process (an operating system crash may lose the
            // last commits, never the file). A run of a million pairs commits as fast as the
            // writer can, and waiting for the disk at each was a third of its writer's time.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Room for a window's rows before pages spill to the log mid-transaction.
            try db.execute(sql: "PRAGMA cache_size = -32768")
        }
        // Read before SQLite opens the file: the store as the last process left it.
        let checked = IntegrityStamp.matches(path)
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw Self.explain(error, path: path)
        }
        do {
            try pool.read { db in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                if appID != StoreSchema.applicationID && !tables.isEmpty {
                    throw StoreError(.foreignDatabase, path: path, "is an SQLite database, but not a RerankBench store (it has tables \(tables.prefix(5).joined(separator: ", "))). Nothing was changed",
                                     remedies: [.useAnotherStore, .other("move this one aside")])
                }
                if try StoreSchema.migrator.hasBeenSuperseded(db) {
                    throw StoreError(.newerSchema, path: path, "was written by a newer RerankBench (its schema has migrations this version does not know). Nothing was changed",
                                     remedies: [.other("update RerankBench"), .useAnotherStore])
                }
            }
            try StoreSchema.migrator.migrate(pool)
            // Integrity of what we read: a damaged page fails here rather than mid-run. A store
            // exactly as a clean close left it after such a check is not read through again.
            if !checked {
                IntegrityStamp.forget(path)
                let check = try pool.read { db in try String.fetchOne(db, sql: "PRAGMA quick_check") }
                if check != "ok" {
                    throw StoreError(.damaged, path: path, "is damaged (\(check ?? "no answer from quick_check")). Nothing was changed; move it aside (history and cache start empty) or restore it from a copy")
                }
            }
        } catch let error as StoreError {
            if error.code == .damaged { IntegrityStamp.forget(path) }
            throw error
        } catch {
            let error = Self.explain(error, path: path)
            if error.code == .damaged { IntegrityStamp.forget(path) }
            throw error
        }
        do {
            let legacy = try pool.read { db in try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(entries), 0) FROM cache_legacy") ?? 0 }
            legacyKeys.store(legacy > 0, ordering: .relaxed)
        } catch {
            throw Self.explain(error, path: path)
        }
        sound.store(true, ordering: .relaxed)
    }

    /// Whether a cache lookup should also try the keys of stores before migration v10.
    public var mayHoldLegacyKeys: Bool { legacyKeys.load(ordering: .relaxed) }

    /// Closes the store; a clean close (the log checkpointed into the file and emptied) is noted
    /// so that the next open can skip reading every page (`IntegrityStamp`). The pool's readers
    /// are read-only connections, which never empty the log as they close: the checkpoint does.
    deinit {
        guard sound.load(ordering: .relaxed) else { return }
        do {
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try pool.close()
            IntegrityStamp.note(path)
        } catch {
            IntegrityStamp.forget(path)
        }
    }

    /// Reads the first bytes: SQLite's own header, or an empty file, or refuse before SQLite touches it.
    static func checkHeader(_ path: String) throws(StoreError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        if head.isEmpty { return }
        if head != Data("SQLite format 3\u{0}".utf8) {
            throw StoreError(.notSQLite, path: path, "is not a RerankBench store (not an SQLite database at all). Nothing was changed",
                             remedies: [.useAnotherStore, .other("move this one aside")])
        }
    }

    static func explain(_ error: any Error, path: String) -> StoreError {
        if let db = error as? DatabaseError {
            switch db.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return StoreError(.damaged, path: path, "is damaged or not a database (\(db.message ?? "\(db.resultCode)")). Nothing was changed; move it aside (history and cache start empty) or restore it from a copy")
            case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
                return StoreError(.notWritable, path: path, "cannot be opened for writing (\(db.message ?? "\(db.resultCode)"))",
                                  remedies: [.other("check the permissions"), .useAnotherStore])
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return StoreError(.locked, path: path, "is locked by another process for too long; try again when it finishes")
            case .SQLITE_FULL:
                return StoreError(.diskFull, path: path, "the disk is full; free some space (completed results already saved are kept)")
            default:
                return StoreError(.databaseError, path: path, "database error: \(db.message ?? "\(db.resultCode)")")
            }
        }
        return StoreError(.databaseError, path: path, "\(error)")
    }

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.write(body) } catch let e as StoreError { throw e } catch { throw noted(Self.explain(error, path: path)) }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch let e as StoreError { throw e } catch { throw noted(Self.explain(error, path: path)) }
    }

    /// A store found damaged is checked whole at its next open, whatever its stamp says.
    private func noted(_ error: StoreError) -> StoreError {
        if error.code == .damaged {
            sound.store(false, ordering: .relaxed)
            IntegrityStamp.forget(path)
        }
        return error
    }

    // MARK: Runs

    /// Records a run about to start and returns its id.
    /// `recordTestLook` false: the caller records the look itself (a tune's confirmation runs two
    /// prompts on the test split and counts that as one look).
    public func beginRun(prompt: ScoringPrompt, settings: RunSettings, dataset: Dataset, planned: Int, label: String? = nil,
                         recordTestLook: Bool = true, date: Date = Date()) throws(StoreError) -> Int64 {
        var run = StoredRun(id: nil, startedAt: date, endedAt: nil, status: "running", stopReason: nil, label: label,
                            promptName: prompt.name, promptText: prompt.text, promptHash: prompt.textHash, promptPath: prompt.path,
                            provider: settings.provider, model: settings.model, baseUrl: settings.baseURL,
                            settingsJson: StoreCoding.string(settings), datasetPath: dataset.path, datasetHash: dataset.contentHash,
                            planned: planned, done: 0, failed: 0, cached: 0, promptTokens: 0, completionTokens: 0, cost: nil, costWithoutCache: nil,
                            elapsed: 0, primaryMetric: nil, primaryValue: nil, baselineValue: nil, reportJson: nil)
        try write { db in
            try run.insert(db)
            if recordTestLook, TestLook.includesTest(settings.split), let split = settings.split {
                try Self.insertTestLook(db, datasetHash: dataset.contentHash, kind: .run, runID: run.id, split: split, date: date)
            }
        }
        return run.id!
    }

    // MARK: Test looks

    /// Records one evaluation of a dataset's test queries outside a run (a comparison of the test split).
    /// A run of the test split (or of all queries of a file with a split) is recorded by `beginRun`.
    public func recordTestLook(datasetHash: String, kind: TestLook.Kind, runID: Int64? = nil, split: SplitSelection = .test,
                               date: Date = Date()) throws(StoreError) {
        try write { db in try Self.insertTestLook(db, datasetHash: datasetHash, kind: kind, runID: runID, split: split, date: date) }
    }

    static func insertTestLook(_ db: Database, datasetHash: String, kind: TestLook.Kind, runID: Int64?, split: SplitSelection, date: Date) throws {
        try db.execute(sql: "INSERT INTO test_look (dataset_hash, looked_at, kind, run_id, split) VALUES (?, ?, ?, ?, ?)",
                       arguments: [datasetHash, StoreDate.value(date), kind.rawValue, runID, split.rawValue])
    }

    /// Counts the looks at one version of a dataset as looks at another: its labels were edited
    /// and saved, and the test queries are the same queries, already seen. Without this a label
    /// save started the count again at 0. A look the target already has is not copied, so saving
    /// back to an earlier version does not count its looks twice.
    public func carryTestLooks(from oldHash: String, to newHash: String) throws(StoreError) {
        guard oldHash != newHash else { return }
        try write { db in
            try db.execute(sql: """
                INSERT INTO test_look (dataset_hash, looked_at, kind, run_id, split)
                SELECT ?, s.looked_at, s.kind, s.run_id, s.split FROM test_look s
                WHERE s.dataset_hash = ? AND NOT EXISTS (
                    SELECT 1 FROM test_look t WHERE t.dataset_hash = ? AND t.looked_at = s.looked_at AND t.kind = s.kind
                    AND t.run_id IS s.run_id AND t.split = s.split)
                """, arguments: [newHash, oldHash, newHash])
        }
    }

    /// How many times the test split of the dataset with this content hash was evaluated.
    public func testLookCount(datasetHash: String) throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM test_look WHERE dataset_hash = ?", arguments: [datasetHash]) ?? 0 }
    }

    /// Test looks per dataset content hash, for every dataset that has any.
    public func testLookCounts() throws(StoreError) -> [String: Int] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT dataset_hash, COUNT(*) AS n FROM test_look GROUP BY dataset_hash")
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["dataset_hash"] as String, $0["n"] as Int) })
        }
    }

    /// Stores the finished (or stopped) run's report and totals.
    public func finishRun(id: Int64, report: RunReport, cached: Int, date: Date = Date()) throws(StoreError) {
        let primary = report.settings.metrics.primaryMetric
        let reportJSON = StoreCoding.string(report)
        // One UPDATE of the columns a finish sets (a missing run changes nothing, as before):
        // fetching the row as a StoredRun to update it decoded its dates through a Calendar,
        // whose setup was a millisecond of every run's end.
        try write { db in
            try db.execute(sql: """
                UPDATE run SET ended_at = ?, status = ?, stop_reason = ?, planned = ?, done = ?, failed = ?, cached = ?,
                    prompt_tokens = ?, completion_tokens = ?, cost = ?, cost_without_cache = ?, elapsed = elapsed + ?,
                    primary_metric = ?, primary_value = ?, baseline_value = ?, report_json = ?
                WHERE id = ?
                """, arguments: [StoreDate.value(date), report.complete ? "complete" : "stopped", report.stopReason?.description,
                                 report.counts.planned, report.counts.planned - report.counts.notRun, report.counts.failed, cached,
                                 report.counts.usage.promptTokens, report.counts.usage.completionTokens, report.cost,
                                 report.costWithoutCache, report.elapsed, primary.description, report.rerankedMean[primary],
                                 report.baselineMean[primary], reportJSON, id])
        }
    }

    public func run(id: Int64) throws(StoreError) -> StoredRun? {
        try read { db in try StoredRun.fetchOne(db, key: id) }
    }

    /// The newest runs first.
    public func runs(limit: Int = 50) throws(StoreError) -> [StoredRun] {
        try read { db in try StoredRun.order(Column("id").desc).limit(limit).fetchAll(db) }
    }

    /// Turns `12`, `#12`, `last` or `last~2` (two before the last) into a run id that exists.
    public func resolve(_ reference: String) throws(StoreError) -> Int64 {
        let ref = reference.trimmingCharacters(in: .whitespaces)
        var id: Int64?
        if ref == "last" || ref.hasPrefix("last~") {
            let back = ref == "last" ? 0 : Int(ref.dropFirst(5)) ?? -1
            guard back >= 0 else { throw StoreError(.invalidRunReference, path: path, "'\(reference)' is not a run: use a run number, last, or last~N") }
            id = try read { db in try Int64.fetchOne(db, sql: "SELECT id FROM run ORDER BY id DESC LIMIT 1 OFFSET ?", arguments: [back]) }
            guard let id else { throw StoreError(.noSuchRun, path: path, "has no run '\(reference)' (\(try runCount()) runs stored)", remedies: [.listRuns]) }
            return id
        }
        id = Int64(ref.hasPrefix("#") ? String(ref.dropFirst()) : ref)
        guard let id else { throw StoreError(.invalidRunReference, path: path, "'\(reference)' is not a run: use a run number, last, or last~N", remedies: [.listRuns]) }
        guard try run(id: id) != nil else { throw StoreError(.noSuchRun, path: path, "has no run \(id)", remedies: [.listRuns]) }
        return id
    }

    /// Deletes runs with their results; returns how many existed. Their test looks stay counted
    /// (the look happened), and their replies stay until the cache lets them go.
    @discardableResult
    public func deleteRuns(_ ids: [Int64]) throws(StoreError) -> Int {
        try write { db in
            var n = 0
            for id in ids {
                try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [id])
                n += db.changesCount
            }
            return n
        }
    }

    public func runCount() throws(StoreError) -> Int {
        try read { db in try StoredRun.fetchCount(db) }
    }

    // MARK: Results

    /// One completed call to write: its result, its cache key (nil: not cacheable), its parsed
    /// score, and whether the cache answered it.
    public struct RecordedCall: Sendable {
        public var result: PairResult
        public var requestHash: String?
        public var parsed: ParsedScore?
        public var cached: Bool
        /// For a cache hit: the id of the stored reply it came from (`cachedReplies`), so the
        /// writer need not look the hash up again.
        public var cachedFrom: Int64?
        /// For a cache hit: it was found under the request's key of before migration v10, which
        /// the writer copies to `requestHash` (`CacheKey`).
        public var fromLegacyKey: Bool

        public init(result: PairResult, requestHash: String?, parsed: ParsedScore?, cached: Bool,
                    cachedFrom: Int64? = nil, fromLegacyKey: Bool = false) {
            self.result = result
            self.requestHash = requestHash
            self.parsed = parsed
            self.cached = cached
            self.cachedFrom = cachedFrom
            self.fromLegacyKey = fromLegacyKey
        }
    }

    /// Records completed calls in one transaction, with the run's counts and the response cache.
    /// Plain SQL through cached statements: this runs for every call of every run, and GRDB's
    /// Codable records (column-name conversion, update-then-insert) cost more CPU per call
    /// than the HTTP exchange itself.
    ///
    /// Each reply is stored once (issue 16): a call answered from the cache refers to the
    /// cache's reply, a new cacheable reply goes into `reply` and the cache points at it, and a
    /// bare number that no cache can reuse (the offline baseline, a replay) keeps only its text.
    /// `replacing`: whether a call may replace a result already recorded (a resume re-asks
    /// failed pairs); a new run records each pair once and skips the lookup.
    public func record(runID: Int64, calls: [RecordedCall], provider: String, model: String, date: Date = Date(),
                       replacing: Bool = true) throws(StoreError) {
        guard !calls.isEmpty else { return }
        let encoder = StoreCoding.encoder
        // Formatted once: a Date formats itself per bound value, and that was a tenth of
        // recording a baseline run's million rows.
        let date = StoreDate.value(date)
        let recordedAt = String.fromDatabaseValue(date) ?? ""
        try write { db in
            let previous = try db.cachedStatement(sql: """
                SELECT NOT \(Self.succeeded), cached, prompt_tokens, completion_tokens FROM result
                WHERE run_id = ? AND query_id = ? AND candidate_id = ? AND sample_index = ?
                """)
            // A new run's rows are new: a plain insert spares SQLite the statement journal that
            // OR REPLACE opens for each row.
            let insert = try db.cachedStatement(sql: """
                INSERT \(replacing ? "OR REPLACE " : "")INTO result (run_id, query_id, candidate_id, sample_index, request_hash, reply_id, reply_text,
                    score, outcome, prompt_tokens, completion_tokens, latency, attempts, error, error_kind, recorded_at, cached)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let cachedReply = try db.cachedStatement(sql: "SELECT reply_id FROM cache WHERE request_hash = ?")
            let insertReply = try db.cachedStatement(sql: "INSERT INTO reply (reply_json) VALUES (?)")
            let cache = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO cache (request_hash, provider, model, reply_id, created_at) VALUES (?, ?, ?, ?, ?)
                """)
            var done = 0, failed = 0, cachedCount = 0, promptTokens = 0, completionTokens = 0
            // The cache's answers in this write, counted once for all (`cache_reuse`, migration v9).
            var reused = 0
            // A new run's successes go into one pack per query (`ResultPack`).
            var packs: [String: [ResultPack.Entry]] = [:]
            var packOrder: [String] = []
            for call in calls {
                let r = call.result
                let packed = ResultPack.fits(call, replacing: replacing)
                // A resume asks again for pairs that failed; their new result replaces the old
                // one, whose counts come off first.
                if !packed, replacing, let old = try Row.fetchOne(previous, arguments: [runID, r.queryID, r.candidateID, r.sampleIndex]) {
                    done -= 1
                    if old[0] as Bool { failed -= 1 }
                    if old[1] as Bool { cachedCount -= 1 }
                    promptTokens -= old[2] as Int
                    completionTokens -= old[3] as Int
                }
                // Where the reply is kept: the cache's copy for a hit, a new copy (cached when
                // the call is cacheable), or only its text when it is bare and no cache can
                // reuse it.
                var replyID: Int64?
                var replyText: String?
                if let reply = r.reply {
                    if call.cached {
                        if let from = call.cachedFrom {
                            replyID = from
                        } else if let hash = call.requestHash {
                            replyID = try Int64.fetchOne(cachedReply, arguments: [hash])
                        }
                        if replyID != nil { reused += 1 }
                        if call.fromLegacyKey, let hash = call.requestHash {
                            try Self.copyLegacyEntry(db, to: hash)
                        }
                    }
                    if replyID == nil {
                        if call.requestHash == nil, Self.isBare(reply) {
                            replyText = reply.text
                        } else {
                            try insertReply.execute(arguments: [StoreCoding.string(reply, using: encoder)])
                            replyID = db.lastInsertedRowID
                            if let hash = call.requestHash, !call.cached {
                                try cache.execute(arguments: [hash, provider, model, replyID, date])
                            }
                        }
                    }
                }
                let usage = r.reply?.usage ?? TokenUsage(promptTokens: 0, completionTokens: 0)
                if packed {
                    if packs[r.queryID] == nil { packOrder.append(r.queryID) }
                    packs[r.queryID, default: []].append(ResultPack.Entry(result: r, replyID: replyID, cached: call.cached))
                } else {
                    // The request hash is not kept per result: the reply id says which reply, and a
                    // resume computes the hash again from the request.
                    try ResultRow(runID: runID, queryID: r.queryID, candidateID: r.candidateID, sampleIndex: r.sampleIndex,
                                  replyID: replyID, replyText: replyText, score: call.parsed?.value,
                                  outcome: call.parsed?.outcome.rawValue, promptTokens: usage.promptTokens,
                                  completionTokens: usage.completionTokens, latency: r.latency, attempts: r.attempts,
                                  error: r.error, errorKind: r.errorKind?.rawValue, recordedAt: recordedAt, cached: call.cached)
                        .insert(with: insert)
                }
                done += 1
                if r.reply == nil { failed += 1 }
                if call.cached { cachedCount += 1 }
                promptTokens += usage.promptTokens
                completionTokens += usage.completionTokens
            }
            if !packOrder.isEmpty {
                let insertPack = try db.cachedStatement(sql: "INSERT INTO result_pack (run_id, query_id, pairs, refs, cached, results) VALUES (?, ?, ?, ?, ?, ?)")
                for queryID in packOrder {
                    let entries = packs[queryID] ?? []
                    try insertPack.execute(arguments: [runID, queryID, entries.count, entries.count(where: { $0.replyID != nil }),
                                                       entries.count(where: \.cached), Data(ResultPack.encode(entries))])
                }
            }
            if reused > 0 { try db.execute(sql: "UPDATE cache_reuse SET total = total + ?", arguments: [reused]) }
            try db.execute(sql: "UPDATE run SET done = done + ?, failed = failed + ?, cached = cached + ?, prompt_tokens = prompt_tokens + ?, completion_tokens = completion_tokens + ? WHERE id = ?",
                           arguments: [done, failed, cachedCount, promptTokens, completionTokens, runID])
        }
    }

    /// Copies the cache entry under `key`'s digest alone (a key of before migration v10) to
    /// `key`, with its reply and date. The old entry stays until `cache gc`: deleting it here
    /// dirties a random page of the old keys per hit (a first version that did, and held no
    /// window back, took 35 s and 1 GB for the first re-run of a million entries, against 23 s).
    static func copyLegacyEntry(_ db: Database, to key: String) throws {
        let legacy = CacheKey.digest(of: key)
        guard legacy != key else { return }
        let copy = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO cache (request_hash, provider, model, reply_id, created_at)
            SELECT ?, provider, model, reply_id, created_at FROM cache WHERE request_hash = ?
            """)
        try copy.execute(arguments: [key, legacy])
    }

    /// A reply that its text, token counts and latency restore exactly: no logprobs, a normal
    /// stop. The offline baseline's and most replayed replies are; storing them as JSON tripled
    /// a baseline run's store.
    static func isBare(_ reply: ChatReply) -> Bool {
        reply.text != nil && reply.logprobs == nil && reply.finishReason == "stop"
    }

    /// SQLite's process-wide settings, made once before the first connection opens: no memory
    /// statistics (a global mutex taken on every allocation; the cache lookups' readers on both
    /// cores waited on it, 5-8% of a cached re-run's time). Nothing here reads those statistics.
    /// A process that opened SQLite before its first store keeps SQLite's defaults.
    static let sqliteSetUp: Int32 = rerankbench_sqlite_disable_memstatus()

    /// SQL true for a result row that holds a reply (a failed call holds an error instead).
    static let succeeded = "(reply_json IS NOT NULL OR reply_id IS NOT NULL OR (reply_text IS NOT NULL AND error IS NULL))"

    /// Every completed call of a run.
    public func results(runID: Int64) throws(StoreError) -> [PairResult] {
        try read { db in try Self.results(db, runID: runID, queryIDs: nil) }
    }

    /// The completed calls of a run for the given queries (a window of a large run).
    public func results(runID: Int64, queryIDs: [String]) throws(StoreError) -> [PairResult] {
        try read { db in
            var out: [PairResult] = []
            try Self.inChunks(queryIDs) { chunk, _ in out += try Self.results(db, runID: runID, queryIDs: chunk) }
            return out
        }
    }

    /// How many calls of a run completed with a reply.
    public func completedCount(runID: Int64) throws(StoreError) -> Int {
        try read { db in
            let rows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM result WHERE run_id = ? AND \(Self.succeeded)", arguments: [runID]) ?? 0
            let packed = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(pairs), 0) FROM result_pack WHERE run_id = ?", arguments: [runID]) ?? 0
            return rows + packed
        }
    }

    /// SQLite limits bound parameters per statement: an `IN (...)` over a long list is asked in
    /// chunks. `body` gets each chunk and its `?,?,...` marks.
    static func inChunks<Values: Collection>(
        _ values: Values, size: Int = 500, _ body: (_ chunk: [Values.Element], _ marks: String) throws -> Void
    ) rethrows where Values.Element: DatabaseValueConvertible {
        var start = values.startIndex
        while start != values.endIndex {
            let end = values.index(start, offsetBy: size, limitedBy: values.endIndex) ?? values.endIndex
            let chunk = Array(values[start..<end])
            try body(chunk, marks(chunk.count))
            start = end
        }
    }

    /// `?,?,...`: the placeholders of an `IN (...)` list of `count` values.
    static func marks(_ count: Int) -> String {
        String(repeating: "?,", count: max(count - 1, 0)) + (count > 0 ? "?" : "")
    }

    static func results(_ db: Database, runID: Int64, queryIDs: [String]?) throws -> [PairResult] {
        let decoder = StoreCoding.decoder
        var sql = """
            SELECT r.query_id, r.candidate_id, r.sample_index, COALESCE(r.reply_json, p.reply_json), r.reply_text,
                   r.prompt_tokens, r.completion_tokens, r.latency, r.attempts, r.error, r.error_kind
            FROM result r LEFT JOIN reply p ON p.id = r.reply_id WHERE r.run_id = ?
            """
        var arguments: [(any DatabaseValueConvertible)?] = [runID]
        if let queryIDs {
            sql += " AND r.query_id IN (\(Self.marks(queryIDs.count)))"
            arguments += queryIDs.map { $0 as (any DatabaseValueConvertible)? }
        }
        let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
        var out: [PairResult] = []
        while let row = try rows.next() {
            var reply: ChatReply?
            if let json = row[3] as String? {
                reply = StoreCoding.reply(from: json, using: decoder)
            } else if let text = row[4] as String?, row[9] as String? == nil {
                // A bare reply (see `isBare`): its text, tokens and latency are all it had.
                reply = ChatReply(text: text, finishReason: "stop",
                                  usage: TokenUsage(promptTokens: row[5], completionTokens: row[6]), latency: row[7])
            }
            out.append(PairResult(queryID: row[0], candidateID: row[1], sampleIndex: row[2], reply: reply,
                                  error: row[9], errorKind: (row[10] as String?).map(CallErrorKind.init(rawValue:)),
                                  attempts: row[8], latency: row[7]))
        }
        // The packed results, after the rows; a reply kept by reference is read once per id.
        var packSQL = "SELECT query_id, results, run_id FROM result_pack WHERE run_id = ?"
        if let queryIDs { packSQL += " AND query_id IN (\(Self.marks(queryIDs.count)))" }
        let packs = try Row.fetchCursor(db, sql: packSQL + " ORDER BY id", arguments: StatementArguments(arguments))
        var referenced: [(index: Int, replyID: Int64)] = []
        while let row = try packs.next() {
            for entry in try Self.decodePack(row) {
                if let id = entry.replyID { referenced.append((out.count, id)) }
                out.append(entry.result)
            }
        }
        if !referenced.isEmpty {
            let replies = try Self.replies(db, ids: referenced.map(\.replyID), decoder: decoder)
            for (index, id) in referenced { out[index].reply = replies[id] }
        }
        return out
    }

    /// A `result_pack` row (query id, results, run id) decoded; damage is SQLite's corruption
    /// error, which the store explains as a damaged store.
    static func decodePack(_ row: Row) throws -> [ResultPack.Entry] {
        let queryID: String = row[0]
        let bytes: Data = row[1]
        do {
            return try ResultPack.decode([UInt8](bytes), queryID: queryID)
        } catch {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "\(error) (run \(row[2] as Int64))")
        }
    }

    /// Stored replies by id, each decoded once.
    static func replies(_ db: Database, ids: [Int64], decoder: JSONDecoder) throws -> [Int64: ChatReply] {
        let unique = Array(Set(ids))
        var out: [Int64: ChatReply] = [:]
        out.reserveCapacity(unique.count)
        try inChunks(unique) { chunk, marks in
            let rows = try Row.fetchCursor(db, sql: "SELECT id, reply_json FROM reply WHERE id IN (\(marks))",
                                           arguments: StatementArguments(chunk))
            while let row = try rows.next() {
                if let reply = StoreCoding.reply(from: row[1], using: decoder) { out[row[0]] = reply }
            }
        }
        return out
    }

    /// The keys of the packed results that the response cache answered, of a run's given
    /// queries (nil: all of them).
    static func packedCachedKeys(_ db: Database, runID: Int64, queryIDs: [String]?) throws -> Set<PairKey> {
        var sql = "SELECT query_id, results, run_id FROM result_pack WHERE run_id = ? AND cached > 0"
        var arguments: [(any DatabaseValueConvertible)?] = [runID]
        if let queryIDs {
            sql += " AND query_id IN (\(marks(queryIDs.count)))"
            arguments += queryIDs.map { $0 as (any DatabaseValueConvertible)? }
        }
        var keys = Set<PairKey>()
        let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
        while let row = try rows.next() {
            for entry in try decodePack(row) where entry.cached { keys.insert(entry.result.key) }
        }
        return keys
    }

    /// The calls of a run that the response cache answered.
    public func cachedResultKeys(runID: Int64) throws(StoreError) -> Set<PairKey> {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT query_id, candidate_id, sample_index FROM result WHERE run_id = ? AND cached",
                                        arguments: [runID])
            return Set(rows.map { PairKey(queryID: $0[0], candidateID: $0[1], sampleIndex: $0[2]) })
                .union(try Self.packedCachedKeys(db, runID: runID, queryIDs: nil))
        }
    }

    /// The calls of a run's given queries that the response cache answered.
    public func cachedResultKeys(runID: Int64, queryIDs: [String]) throws(StoreError) -> Set<PairKey> {
        try read { db in
            var keys = Set<PairKey>()
            try Self.inChunks(queryIDs) { chunk, marks in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT query_id, candidate_id, sample_index FROM result
                    WHERE run_id = ? AND cached AND query_id IN (\(marks))
                    """, arguments: StatementArguments([runID] + chunk))
                for row in rows { keys.insert(PairKey(queryID: row[0], candidateID: row[1], sampleIndex: row[2])) }
                keys.formUnion(try Self.packedCachedKeys(db, runID: runID, queryIDs: chunk))
            }
            return keys
        }
    }

    // MARK: Cache

    /// A reply the response cache holds for a request, with where it is (a result that uses it
    /// refers to `replyID`).
    public struct CachedReply: Sendable {
        public var reply: ChatReply
        public var replyID: Int64
        /// Found under the request's key of before migration v10 (`CacheKey`).
        public var fromLegacyKey = false
    }

    /// Cached replies for the given request hashes (those that have one).
    ///
    /// A read, not a write: it runs beside the recorder's writer instead of queueing behind it.
    /// The hits are counted when the results that used them are recorded (`record`, one count
    /// per write): counting them here, an UPDATE per hash in a write transaction, was the
    /// larger part of a cached re-run's time.
    public func cachedReplies(_ hashes: [String]) throws(StoreError) -> [String: CachedReply] {
        // A run's windows look up in parts on every core themselves (`RecordedRunner`, each
        // core hashing its share and reading it); this is one read.
        let legacy = mayHoldLegacyKeys
        let found = try read { db in try Self.cachedReplies(db, hashes.map(Optional.some)[...], legacy: legacy) }
        var out: [String: CachedReply] = [:]
        for (hash, reply) in zip(hashes, found) { if let reply { out[hash] = reply } }
        return out
    }

    /// One point lookup per hash on a statement bound by hand (`HandBinding`), the reply decoded
    /// from SQLite's own buffer: an `IN (...)` list made SQLite parse 500 placeholders and build
    /// a temporary index of them per chunk, and each reply was copied into a String first.
    /// `legacy`: a hash not found is looked up again by its digest alone (`CacheKey`).
    static func cachedReplies(_ db: Database, _ hashes: ArraySlice<String?>, legacy: Bool) throws -> [CachedReply?] {
        var found: [CachedReply?] = []
        found.reserveCapacity(hashes.count)
        let decoder = StoreCoding.decoder
        let lookup = try db.cachedStatement(sql: """
            SELECT c.reply_id, p.reply_json FROM cache c JOIN reply p ON p.id = c.reply_id WHERE c.request_hash = ?
            """)
        let s = lookup.sqliteStatement
        defer { sqlite3_reset(s) }
        for hash in hashes {
            guard let hash else {
                found.append(nil)
                continue
            }
            sqlite3_reset(s)
            HandBinding.bind(text: hash, at: 1, in: s)
            var code = sqlite3_step(s)
            var fromLegacyKey = false
            if code == SQLITE_DONE, legacy, CacheKey.isGrouped(hash) {
                sqlite3_reset(s)
                HandBinding.bind(text: CacheKey.digest(of: hash), at: 1, in: s)
                code = sqlite3_step(s)
                fromLegacyKey = true
            }
            guard code != SQLITE_DONE else {
                found.append(nil)
                continue
            }
            guard code == SQLITE_ROW else { throw HandBinding.error(code, lookup) }
            guard let text = sqlite3_column_text(s, 1) else {
                found.append(nil)
                continue
            }
            let replyID = sqlite3_column_int64(s, 0)
            let json = UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(s, 1)))
            found.append(StoreCoding.reply(from: json, using: decoder).map {
                CachedReply(reply: $0, replyID: replyID, fromLegacyKey: fromLegacyKey)
            })
        }
        return found
    }

    public struct CacheStats: Sendable {
        public var entries: Int
        public var hits: Int
        public var replyBytes: Int
        public var fileBytes: Int
        /// Entries per provider and model, most first.
        public var byModel: [(provider: String, model: String, entries: Int)]
        public var oldest: Date?
        public var newest: Date?
        /// Entries still under an older version's key (`CacheKey`), copied to a new key or not.
        public var oldKeys = 0
    }

    public func cacheStats() throws(StoreError) -> CacheStats {
        let fileBytes = fileSize()
        let legacy = mayHoldLegacyKeys
        return try read { db in
            var stats = CacheStats(entries: 0, hits: try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(total), 0) FROM cache_reuse") ?? 0,
                                   replyBytes: 0, fileBytes: fileBytes, byModel: [], oldest: nil, newest: nil)
            // An entry under an older version's key that a run copied to its grouped key
            // (`CacheKey`) shares its reply with the copy: one reply, counted once, until
            // `cache gc` drops it. Entries are otherwise one to a reply.
            let entries = legacy ? "(SELECT DISTINCT reply_id, provider, model, created_at FROM cache)" : "cache"
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.provider, c.model, COUNT(*), COALESCE(SUM(LENGTH(p.reply_json)), 0), MIN(c.created_at), MAX(c.created_at)
                FROM \(entries) c JOIN reply p ON p.id = c.reply_id
                GROUP BY c.provider, c.model ORDER BY COUNT(*) DESC, c.provider, c.model
                """)
            for row in rows {
                let count: Int = row[2], bytes: Int = row[3]
                stats.byModel.append((row[0], row[1], count))
                stats.entries += count
                stats.replyBytes += bytes
                let oldest: Date? = row[4], newest: Date? = row[5]
                if let oldest, stats.oldest.map({ oldest < $0 }) ?? true { stats.oldest = oldest }
                if let newest, stats.newest.map({ newest > $0 }) ?? true { stats.newest = newest }
            }
            if legacy {
                stats.oldKeys = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cache WHERE LENGTH(request_hash) <> ?",
                                                 arguments: [CacheKey.groupLength + CacheKey.digestLength]) ?? 0
            }
            return stats
        }
    }

    /// The store's bytes on disk: the database and its write-ahead log.
    func fileSize() -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
            + ((try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0)
    }

    /// Empties the cache (run history stays, with the replies its runs used) and returns how
    /// many cache entries were dropped.
    @discardableResult
    public func clearCache() throws(StoreError) -> Int {
        let count = try write { db in
            let n = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cache") ?? 0
            try db.execute(sql: "DELETE FROM cache")
            try db.execute(sql: "UPDATE cache_reuse SET total = 0")
            try db.execute(sql: "UPDATE cache_legacy SET entries = 0")
            legacyKeys.store(false, ordering: .relaxed)
            try Self.dropUnusedReplies(db)
            return n
        }
        try compact()
        return count
    }

    /// What `vacuum` and `gcCache` did.
    public struct Reclaimed: Sendable, Equatable {
        /// Cache entries dropped (`gcCache` only).
        public var cacheEntries = 0
        /// Entries under a key of before migration v10 dropped because a run had copied them to
        /// their grouped key (`gcCache` only; `CacheKey`).
        public var oldKeys = 0
        /// Replies no run and no cache entry referred to, dropped.
        public var replies = 0
        /// Results of older stores whose inline copy of a reply now refers to the one stored copy.
        public var folded = 0
        public var bytesBefore = 0
        public var bytesAfter = 0
        public var bytesFreed: Int { max(0, bytesBefore - bytesAfter) }
    }

    /// Drops replies that nothing refers to, folds the inline reply copies of results stored
    /// before v6 into the one copy the cache holds, and gives the space back to the file system.
    public func vacuum() throws(StoreError) -> Reclaimed {
        var out = Reclaimed(bytesBefore: fileSize())
        try write { db in
            out.folded = try Self.foldInlineReplies(db)
            out.replies = try Self.dropUnusedReplies(db)
        }
        try compact()
        out.bytesAfter = fileSize()
        return out
    }

    /// `vacuum`, after dropping the cache entries whose reply no stored run used (their runs
    /// were deleted, or they were only ever asked for by runs that were). The replies of every
    /// stored run stay cached.
    public func gcCache() throws(StoreError) -> Reclaimed {
        var out = Reclaimed(bytesBefore: fileSize())
        try write { db in
            out.folded = try Self.foldInlineReplies(db)
            try Self.notePackedReplies(db)
            try db.execute(sql: """
                DELETE FROM cache WHERE reply_id NOT IN (SELECT reply_id FROM result WHERE reply_id IS NOT NULL)
                    AND reply_id NOT IN (SELECT id FROM temp.packed_reply)
                """)
            out.cacheEntries = db.changesCount
            // Entries under a key of before v10 that a run copied to its grouped key (`CacheKey`).
            let grouped = CacheKey.groupLength + CacheKey.digestLength
            try db.execute(sql: """
                DELETE FROM cache WHERE LENGTH(request_hash) <> ? AND request_hash IN (
                    SELECT SUBSTR(request_hash, ?) FROM cache WHERE LENGTH(request_hash) = ?)
                """, arguments: [grouped, CacheKey.groupLength + 1, grouped])
            out.oldKeys = db.changesCount
            out.replies = try Self.dropUnusedReplies(db, packedNoted: true)
            let left = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cache WHERE LENGTH(request_hash) <> ?", arguments: [grouped]) ?? 0
            try db.execute(sql: "UPDATE cache_legacy SET entries = ?", arguments: [left])
            legacyKeys.store(left > 0, ordering: .relaxed)
        }
        try compact()
        out.bytesAfter = fileSize()
        return out
    }

    /// Results stored before v6 carry their own copy of a reply the cache also holds: refer to
    /// the cache's copy instead. Returns how many were folded.
    static func foldInlineReplies(_ db: Database) throws -> Int {
        try db.execute(sql: """
            UPDATE result SET reply_id = (SELECT c.reply_id FROM cache c JOIN reply p ON p.id = c.reply_id
                                          WHERE c.request_hash = result.request_hash AND p.reply_json = result.reply_json),
                              reply_json = NULL, reply_text = NULL
            WHERE reply_json IS NOT NULL AND request_hash IS NOT NULL AND EXISTS (
                SELECT 1 FROM cache c JOIN reply p ON p.id = c.reply_id
                WHERE c.request_hash = result.request_hash AND p.reply_json = result.reply_json)
            """)
        return db.changesCount
    }

    /// Deletes replies no result and no cache entry refers to; returns how many.
    /// `packedNoted`: `notePackedReplies` ran in this transaction already.
    @discardableResult
    static func dropUnusedReplies(_ db: Database, packedNoted: Bool = false) throws -> Int {
        if !packedNoted { try notePackedReplies(db) }
        try db.execute(sql: """
            DELETE FROM reply WHERE id NOT IN (SELECT reply_id FROM cache)
                AND id NOT IN (SELECT reply_id FROM result WHERE reply_id IS NOT NULL)
                AND id NOT IN (SELECT id FROM temp.packed_reply)
            """)
        return db.changesCount
    }

    /// Fills the temporary table `packed_reply` with the ids of the replies packed results
    /// refer to (they are inside the packs' bytes, where SQL cannot see them), for the
    /// statements that must not drop a reply a stored run still uses.
    static func notePackedReplies(_ db: Database) throws {
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS packed_reply (id INTEGER PRIMARY KEY)")
        try db.execute(sql: "DELETE FROM temp.packed_reply")
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO temp.packed_reply (id) VALUES (?)")
        let rows = try Row.fetchCursor(db, sql: "SELECT query_id, results, run_id FROM result_pack WHERE refs > 0")
        while let row = try rows.next() {
            for entry in try decodePack(row) {
                if let id = entry.replyID { try insert.execute(arguments: [id]) }
            }
        }
    }

    /// Checkpoints the write-ahead log and rewrites the file without its free pages.
    /// VACUUM cannot run inside a transaction.
    func compact() throws(StoreError) {
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch { throw Self.explain(error, path: path) }
    }
}
