import RerankCore
import Foundation
import GRDB

/// A lineage's fields other than its candidates (they have their own rows).
private struct TuneProgress: Codable {
    var roundsCompleted: Int
    var stalledRounds: Int
    var calls: Int
    var proposerCalls: Int
    var cost: Double
    var best: Int
    var stopReason: TuneStopReason?
    var confirmation: TuneConfirmation?
    var finished: Bool

    init(_ l: TuneLineage) {
        roundsCompleted = l.roundsCompleted
        stalledRounds = l.stalledRounds
        calls = l.calls
        proposerCalls = l.proposerCalls
        cost = l.cost
        best = l.best
        stopReason = l.stopReason
        confirmation = l.confirmation
        finished = l.finished
    }
}

extension RunStore {
    /// Records a tune about to start and returns its id.
    public func beginTune(setup: TuneSetup, dataset: Dataset, lineage: TuneLineage, date: Date = Date()) throws(StoreError) -> Int64 {
        try write { db -> Int64 in
            try db.execute(sql: """
                INSERT INTO tune (started_at, updated_at, status, dataset_path, dataset_hash, setup_json, progress_json)
                VALUES (?, ?, 'running', ?, ?, ?, ?)
                """, arguments: [date, date, dataset.path, dataset.contentHash, StoreCoding.string(setup), StoreCoding.string(TuneProgress(lineage))])
            let id = db.lastInsertedRowID
            try Self.writeCandidates(db, tuneID: id, lineage.candidates)
            return id
        }
    }

    /// Saves a tune's lineage (every candidate, and its progress) in one transaction.
    public func saveTune(id: Int64, lineage: TuneLineage, date: Date = Date()) throws(StoreError) {
        let status = lineage.finished ? "finished" : (lineage.stopReason == nil ? "running" : "stopped")
        try write { db in
            try db.execute(sql: "UPDATE tune SET updated_at = ?, status = ?, progress_json = ? WHERE id = ?",
                           arguments: [date, status, StoreCoding.string(TuneProgress(lineage)), id])
            try Self.writeCandidates(db, tuneID: id, lineage.candidates)
        }
    }

    static func writeCandidates(_ db: Database, tuneID: Int64, _ candidates: [TuneCandidate]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO tune_candidate (tune_id, number, parent, round, variant, status, prompt_text, prompt_hash, critique,
                note, minibatch_queries, minibatch_mean, dev_mean, dev_delta, dev_p, calls, run_ids)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for c in candidates {
            try statement.execute(arguments: [tuneID, c.number, c.parent, c.round, c.variant, c.status.rawValue, c.text, Digest.sha256(c.text),
                                              c.critique, c.note, c.minibatchQueries, c.minibatchMean, c.devMean, c.devDelta, c.devP,
                                              c.calls, StoreCoding.string(c.runIDs)])
        }
    }

    /// A stored tune, nil when there is none with this id.
    public func tune(id: Int64) throws(StoreError) -> StoredTune? {
        let path = self.path
        let row: (Row, [Row])? = try read { db -> (Row, [Row])? in
            guard let tune = try Row.fetchOne(db, sql: "SELECT * FROM tune WHERE id = ?", arguments: [id]) else { return nil }
            let candidates = try Row.fetchAll(db, sql: "SELECT * FROM tune_candidate WHERE tune_id = ? ORDER BY number", arguments: [id])
            return (tune, candidates)
        }
        guard let (tune, rows) = row else { return nil }
        let decoder = StoreCoding.decoder
        guard let setup = try? decoder.decode(TuneSetup.self, from: Data((tune["setup_json"] as String).utf8)),
              let progress = try? decoder.decode(TuneProgress.self, from: Data((tune["progress_json"] as String).utf8)) else {
            throw StoreError(.noSuchTune, path: path, "tune \(id) cannot be read back (its settings are damaged or from another version)")
        }
        var candidates: [TuneCandidate] = []
        for r in rows {
            guard let status = TuneCandidate.Status(rawValue: r["status"]) else { continue }
            var c = TuneCandidate(number: r["number"], parent: r["parent"], round: r["round"], variant: r["variant"], text: r["prompt_text"],
                                  critique: r["critique"], status: status, note: r["note"], calls: r["calls"])
            c.minibatchQueries = r["minibatch_queries"]
            c.minibatchMean = r["minibatch_mean"]
            c.devMean = r["dev_mean"]
            c.devDelta = r["dev_delta"]
            c.devP = r["dev_p"]
            c.runIDs = (try? decoder.decode([Int64].self, from: Data((r["run_ids"] as String).utf8))) ?? []
            candidates.append(c)
        }
        let lineage = TuneLineage(candidates: candidates, roundsCompleted: progress.roundsCompleted, stalledRounds: progress.stalledRounds,
                                  calls: progress.calls, proposerCalls: progress.proposerCalls, cost: progress.cost, best: progress.best,
                                  stopReason: progress.stopReason, confirmation: progress.confirmation, finished: progress.finished)
        return StoredTune(id: id, startedAt: tune["started_at"], updatedAt: tune["updated_at"], status: tune["status"],
                          datasetPath: tune["dataset_path"], datasetHash: tune["dataset_hash"], setup: setup, lineage: lineage)
    }

    /// Turns `3`, `#3`, `last` or `last~1` into the id of a stored tune.
    public func resolveTune(_ reference: String) throws(StoreError) -> Int64 {
        let ref = reference.trimmingCharacters(in: .whitespaces)
        if ref == "last" || ref.hasPrefix("last~") {
            let back = ref == "last" ? 0 : Int(ref.dropFirst(5)) ?? -1
            guard back >= 0 else { throw StoreError(.invalidRunReference, path: path, "'\(reference)' is not a tune: use a tune number, last, or last~N") }
            let id = try read { db in try Int64.fetchOne(db, sql: "SELECT id FROM tune ORDER BY id DESC LIMIT 1 OFFSET ?", arguments: [back]) }
            guard let id else { throw StoreError(.noSuchTune, path: path, "has no tune '\(reference)'", remedies: [.other("start one with `rerank-eval tune`")]) }
            return id
        }
        guard let id = Int64(ref.hasPrefix("#") ? String(ref.dropFirst()) : ref) else {
            throw StoreError(.invalidRunReference, path: path, "'\(reference)' is not a tune: use a tune number, last, or last~N")
        }
        let exists = try read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM tune WHERE id = ?)", arguments: [id]) ?? false }
        guard exists else { throw StoreError(.noSuchTune, path: path, "has no tune \(id)") }
        return id
    }

    /// Which of `hashes` the response cache holds a reply for (without counting a hit).
    public func cachedHashes(_ hashes: [String]) throws(StoreError) -> Set<String> {
        guard !hashes.isEmpty else { return [] }
        // A key of before migration v10 answers for its grouped key (`CacheKey`).
        var byLegacyKey: [String: String] = [:]
        if mayHoldLegacyKeys {
            for hash in hashes where CacheKey.isGrouped(hash) { byLegacyKey[CacheKey.digest(of: hash)] = hash }
        }
        let asked = hashes + byLegacyKey.keys
        return try read { db in
            var found: Set<String> = []
            try RunStore.inChunks(asked) { chunk, marks in
                let rows = try String.fetchAll(db, sql: "SELECT request_hash FROM cache WHERE request_hash IN (\(marks))",
                                               arguments: StatementArguments(chunk))
                found.formUnion(rows.map { byLegacyKey[$0] ?? $0 })
            }
            return found
        }
    }
}
