import RerankCore
import Foundation
import GRDB

extension RunStore {
    /// Records a batch just created at the provider (before anything else can go wrong, so a
    /// batch that is paid for is never lost track of).
    public func insertBatch(_ batch: StoredBatch) throws(StoreError) -> StoredBatch {
        var row = batch
        try write { db in try row.insert(db) }
        return row
    }

    /// Records what the provider said about a batch.
    @discardableResult
    public func updateBatch(id: Int64, status: BatchStatus, date: Date = Date()) throws(StoreError) -> StoredBatch {
        try write { db -> StoredBatch in
            guard var row = try StoredBatch.fetchOne(db, key: id) else {
                throw StoreError(.databaseError, path: path, "batch \(id) is no longer in the store")
            }
            row.update(with: status, date: date)
            try row.update(db)
            return row
        }
    }

    /// Every batch, newest first.
    public func batches(limit: Int = 200) throws(StoreError) -> [StoredBatch] {
        try read { db in try StoredBatch.order(Column("id").desc).limit(limit).fetchAll(db) }
    }

    /// The batches of one run, oldest first.
    public func batches(runID: Int64) throws(StoreError) -> [StoredBatch] {
        try read { db in try StoredBatch.filter(Column("run_id") == runID).order(Column("id")).fetchAll(db) }
    }

    /// A batch by its number here or the provider's id.
    public func batch(_ reference: String) throws(StoreError) -> StoredBatch {
        let ref = reference.hasPrefix("#") ? String(reference.dropFirst()) : reference
        let found = try read { db -> StoredBatch? in
            if let id = Int64(ref), let row = try StoredBatch.fetchOne(db, key: id) { return row }
            return try StoredBatch.filter(Column("remote_id") == ref).fetchOne(db)
        }
        guard let found else {
            throw StoreError(.noSuchBatch, path: path, "has no batch '\(reference)' (a number from `rerank-eval batches`, or the provider's batch id)")
        }
        return found
    }

    /// Stores an ended batch's outcomes and marks it collected, in one transaction.
    public func saveBatchResults(id: Int64, items: [BatchItemResult], status: BatchStatus, date: Date = Date()) throws(StoreError) -> StoredBatch {
        let encoder = StoreCoding.encoder
        return try write { db -> StoredBatch in
            guard var row = try StoredBatch.fetchOne(db, key: id) else {
                throw StoreError(.databaseError, path: path, "batch \(id) is no longer in the store")
            }
            let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO batch_item (batch_id, custom_id, reply_json, error) VALUES (?, ?, ?, ?)")
            for item in items {
                try insert.execute(arguments: [id, item.customID, item.reply.map { StoreCoding.string($0, using: encoder) }, item.error])
            }
            row.update(with: status, date: date)
            row.collectedAt = date
            try row.update(db)
            return row
        }
    }

    /// The outcomes of a run's collected batches by custom id; a later batch's outcome wins
    /// over an earlier one's (a pair re-asked after it failed).
    public func batchOutcomes(runID: Int64) throws(StoreError) -> [String: BatchItemResult] {
        let decoder = StoreCoding.decoder
        return try read { db -> [String: BatchItemResult] in
            let rows = try Row.fetchAll(db, sql: """
                SELECT i.custom_id, i.reply_json, i.error FROM batch_item i JOIN batch_job b ON b.id = i.batch_id
                WHERE b.run_id = ? ORDER BY b.id
                """, arguments: [runID])
            var out: [String: BatchItemResult] = [:]
            for row in rows {
                let id: String = row[0]
                let json: String? = row[1]
                let error: String? = row[2]
                let reply = json.flatMap { StoreCoding.reply(from: $0, using: decoder) }
                out[id] = BatchItemResult(customID: id, reply: reply, error: reply == nil ? (error ?? "the stored reply cannot be read") : nil)
            }
            return out
        }
    }

    /// Marks a run's collected batches as recorded by the run, and drops their replies (the run's
    /// results and the response cache hold them now); failures are kept.
    public func markBatchesApplied(runID: Int64, date: Date = Date()) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                DELETE FROM batch_item WHERE reply_json IS NOT NULL
                AND batch_id IN (SELECT id FROM batch_job WHERE run_id = ? AND collected_at IS NOT NULL)
                """, arguments: [runID])
            try db.execute(sql: "UPDATE batch_job SET applied_at = ? WHERE run_id = ? AND collected_at IS NOT NULL AND applied_at IS NULL",
                           arguments: [date, runID])
        }
    }
}
