import RerankCore
import GRDB

/// The store's versioned migrations. Never edit a registered migration: add a new one, so a
/// store written by an older RerankBench is carried forward with its history intact.
enum StoreSchema {
    /// `PRAGMA application_id` of a RerankBench store ("RRBS"): tells our file from a foreign one.
    static let applicationID: Int32 = 0x5252_4253

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-runs-and-results") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("started_at", .datetime).notNull()
                t.column("ended_at", .datetime)
                // running | complete | stopped
                t.column("status", .text).notNull()
                t.column("stop_reason", .text)
                t.column("prompt_name", .text).notNull()
                t.column("prompt_text", .text).notNull()
                t.column("prompt_hash", .text).notNull()
                t.column("prompt_path", .text)
                t.column("provider", .text).notNull()
                t.column("model", .text).notNull()
                t.column("base_url", .text)
                t.column("settings_json", .text).notNull()
                t.column("dataset_path", .text).notNull()
                t.column("dataset_hash", .text).notNull()
                t.column("planned", .integer).notNull()
                t.column("done", .integer).notNull().defaults(to: 0)
                t.column("failed", .integer).notNull().defaults(to: 0)
                t.column("prompt_tokens", .integer).notNull().defaults(to: 0)
                t.column("completion_tokens", .integer).notNull().defaults(to: 0)
                t.column("cost", .double)
                t.column("elapsed", .double).notNull().defaults(to: 0)
                t.column("primary_metric", .text)
                t.column("primary_value", .double)
                t.column("baseline_value", .double)
                t.column("report_json", .text)
            }
            try db.create(table: "result") { t in
                t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                t.column("query_id", .text).notNull()
                t.column("candidate_id", .text).notNull()
                t.column("sample_index", .integer).notNull()
                t.column("request_hash", .text)
                t.column("reply_json", .text)
                t.column("reply_text", .text)
                t.column("score", .double)
                t.column("outcome", .text)
                t.column("prompt_tokens", .integer).notNull().defaults(to: 0)
                t.column("completion_tokens", .integer).notNull().defaults(to: 0)
                t.column("latency", .double).notNull().defaults(to: 0)
                t.column("attempts", .integer).notNull().defaults(to: 1)
                t.column("error", .text)
                t.column("error_kind", .text)
                t.column("recorded_at", .datetime).notNull()
                t.primaryKey(["run_id", "query_id", "candidate_id", "sample_index"])
            }
        }
        // v2: the response cache, and which results it answered.
        migrator.registerMigration("v2-response-cache") { db in
            try db.create(table: "cache") { t in
                t.primaryKey("request_hash", .text)
                t.column("provider", .text).notNull()
                t.column("model", .text).notNull()
                t.column("reply_json", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("last_used_at", .datetime).notNull()
                t.column("hits", .integer).notNull().defaults(to: 0)
            }
            try db.alter(table: "result") { t in
                t.add(column: "cached", .boolean).notNull().defaults(to: false)
            }
            try db.alter(table: "run") { t in
                t.add(column: "cached", .integer).notNull().defaults(to: 0)
                t.add(column: "label", .text)
            }
            try db.create(index: "result_request_hash", on: "result", columns: ["request_hash"])
        }
        // v3: every evaluation of a dataset's test split, so later looks can say the test numbers
        // are no longer a clean estimate. Keyed by the dataset's content hash (a copy of the file
        // elsewhere is the same test set); kept when a run is deleted.
        migrator.registerMigration("v3-test-looks") { db in
            try db.create(table: "test_look") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("dataset_hash", .text).notNull()
                t.column("looked_at", .datetime).notNull()
                // run | compare
                t.column("kind", .text).notNull()
                t.column("run_id", .integer).references("run", onDelete: .setNull)
                // test | all: which selection included the test queries
                t.column("split", .text).notNull()
            }
            try db.create(index: "test_look_dataset", on: "test_look", columns: ["dataset_hash"])
        }
        // v4: a run's cost is what it spent (the cache's replies cost nothing); what it would
        // have cost without the cache is kept beside it. Runs stored before priced every reply
        // used: that is their cost without the cache, and what they spent is known when the
        // cache answered none of their calls or all of them.
        migrator.registerMigration("v4-cost-without-cache") { db in
            try db.alter(table: "run") { t in
                t.add(column: "cost_without_cache", .double)
            }
            try db.execute(sql: """
                UPDATE run SET cost_without_cache = cost,
                    cost = CASE WHEN cached = 0 THEN cost WHEN cached >= done AND cost IS NOT NULL THEN 0 ELSE NULL END
                """)
        }
        // v5: prompt tunes. A tune row holds what was asked (setup) and where it is (progress);
        // one row per candidate holds the lineage: parent, round, text, critique, scores, calls.
        // A candidate's runs stay ordinary runs (history, cache); deleting one leaves the lineage.
        migrator.registerMigration("v5-tunes") { db in
            try db.create(table: "tune") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("started_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
                // running | stopped | finished
                t.column("status", .text).notNull()
                t.column("dataset_path", .text).notNull()
                t.column("dataset_hash", .text).notNull()
                t.column("setup_json", .text).notNull()
                t.column("progress_json", .text).notNull()
            }
            try db.create(table: "tune_candidate") { t in
                t.column("tune_id", .integer).notNull().references("tune", onDelete: .cascade)
                t.column("number", .integer).notNull()
                t.column("parent", .integer)
                t.column("round", .integer).notNull()
                t.column("variant", .integer).notNull()
                t.column("status", .text).notNull()
                t.column("prompt_text", .text).notNull()
                t.column("prompt_hash", .text).notNull()
                t.column("critique", .text).notNull()
                t.column("note", .text)
                t.column("minibatch_queries", .integer)
                t.column("minibatch_mean", .double)
                t.column("dev_mean", .double)
                t.column("dev_delta", .double)
                t.column("dev_p", .double)
                t.column("calls", .integer).notNull().defaults(to: 0)
                t.column("run_ids", .text).notNull()
                t.primaryKey(["tune_id", "number"])
            }
        }
        // v6: one copy of each reply. Replies move to their own table; the cache maps a request
        // to a reply, and a result refers to the reply it used (a cache hit no longer copies it:
        // re-running a cached dataset grew the store by about 900 bytes a pair). Replies of the
        // offline baseline and replays, which are a bare number, stay in result.reply_text alone.
        // A result stored before keeps its inline reply_json; `store vacuum` folds such copies.
        migrator.registerMigration("v6-lean-store") { db in
            try db.create(table: "reply") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("reply_json", .text).notNull()
            }
            try db.create(table: "cache_v6") { t in
                t.primaryKey("request_hash", .text)
                t.column("provider", .text).notNull()
                t.column("model", .text).notNull()
                t.column("reply_id", .integer).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("last_used_at", .datetime).notNull()
                t.column("hits", .integer).notNull().defaults(to: 0)
            }
            let insertReply = try db.makeStatement(sql: "INSERT INTO reply (reply_json) VALUES (?)")
            let insertEntry = try db.makeStatement(sql: """
                INSERT INTO cache_v6 (request_hash, provider, model, reply_id, created_at, last_used_at, hits) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            let rows = try Row.fetchCursor(db, sql: "SELECT request_hash, provider, model, reply_json, created_at, last_used_at, hits FROM cache")
            while let row = try rows.next() {
                try insertReply.execute(arguments: [row[3] as String])
                try insertEntry.execute(arguments: [row[0] as String, row[1] as String, row[2] as String, db.lastInsertedRowID,
                                                    row[4] as DatabaseValue, row[5] as DatabaseValue, row[6] as Int])
            }
            try db.drop(table: "cache")
            try db.rename(table: "cache_v6", to: "cache")
            // A result reaches its reply through reply_id; the request hash stays on rows stored
            // before (for `store vacuum` to fold them) and is not written again. Neither column
            // is indexed: an index entry per pair was a fifth of a cached re-run's growth, and
            // only `cache gc` and `store vacuum` look rows up by them, once, by a scan.
            try db.alter(table: "result") { t in
                t.add(column: "reply_id", .integer)
            }
            try db.drop(index: "result_request_hash")
        }
        // v6: provider batches (`run --batch`). One row per batch submitted to a provider, with
        // what is needed to poll, cancel and collect it from any machine holding this store:
        // the provider, base URL, Azure deployment and API version, the provider's ids, the last
        // status seen. No key: it comes from the environment or --api-key each time. Each
        // request's `custom_id` is the response-cache hash of its live request, so a result
        // maps back to the plan's pairs by rebuilding the plan. `batch_item` holds a collected
        // batch's outcomes until its run has recorded them (then the replies, now in the cache
        // and the run's results, are dropped; failures stay, for `--resume`).
        migrator.registerMigration("v6-batch-jobs") { db in
            try db.create(table: "batch_job") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                t.column("provider", .text).notNull()
                t.column("base_url", .text).notNull()
                t.column("model", .text).notNull()
                t.column("azure_deployment", .text)
                t.column("azure_api_version", .text)
                t.column("remote_id", .text).notNull()
                t.column("input_file_id", .text)
                t.column("output_file_id", .text)
                t.column("error_file_id", .text)
                // BatchPhase's raw value, and the provider's own word
                t.column("phase", .text).notNull()
                t.column("provider_status", .text).notNull()
                t.column("requests", .integer).notNull()
                t.column("succeeded", .integer).notNull().defaults(to: 0)
                t.column("failed", .integer).notNull().defaults(to: 0)
                t.column("message", .text)
                t.column("submitted_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
                // set once the results are read into batch_item, then once the run recorded them
                t.column("collected_at", .datetime)
                t.column("applied_at", .datetime)
            }
            try db.create(index: "batch_job_run", on: "batch_job", columns: ["run_id"])
            try db.create(table: "batch_item") { t in
                t.column("batch_id", .integer).notNull().references("batch_job", onDelete: .cascade)
                t.column("custom_id", .text).notNull()
                t.column("reply_json", .text)
                t.column("error", .text)
                t.primaryKey(["batch_id", "custom_id"])
            }
        }
        // v7: the results of calls that made no request (the offline baseline, replays) packed
        // one row per query and write batch (`ResultPack`): a million-pair baseline wrote a
        // million rows. `pairs` counts a pack's results, for the run's counts without decoding.
        migrator.registerMigration("v7-result-packs") { db in
            try db.create(table: "result_pack") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                t.column("query_id", .text).notNull()
                t.column("pairs", .integer).notNull()
                t.column("results", .blob).notNull()
            }
            try db.create(index: "result_pack_run_query", on: "result_pack", columns: ["run_id", "query_id"])
        }
        // v8: every success of a new run is packed (`ResultPack` version 2), a reply that is not
        // inline by the id of its one stored copy: a cached re-run wrote a row per pair. `refs`
        // and `cached` count a pack's references and cache hits, so `cache gc` and the cached
        // keys decode only the packs that have some.
        migrator.registerMigration("v8-packed-references") { db in
            try db.alter(table: "result_pack") { t in
                t.add(column: "refs", .integer).notNull().defaults(to: 0)
                t.add(column: "cached", .integer).notNull().defaults(to: 0)
            }
        }
        // v9: the response cache without rowids, keyed by its request hash alone, and its reuse
        // counted per write instead of per entry. A lookup was two B-tree descents (the hash's
        // index, then the row for its reply id) and every hit an UPDATE of its entry: together
        // most of a cached re-run's store time (issue 16). Nothing read the per-entry counts or
        // `last_used_at` but `cache stats`' total, which `cache_reuse` now keeps (starting from
        // the old entries' sum): the times the cache answered since it was last cleared.
        migrator.registerMigration("v9-cache-without-rowid") { db in
            try db.create(table: "cache_v9", options: [.withoutRowID]) { t in
                t.primaryKey("request_hash", .text)
                t.column("provider", .text).notNull()
                t.column("model", .text).notNull()
                t.column("reply_id", .integer).notNull()
                t.column("created_at", .datetime).notNull()
            }
            try db.execute(sql: """
                INSERT INTO cache_v9 (request_hash, provider, model, reply_id, created_at)
                SELECT request_hash, provider, model, reply_id, created_at FROM cache
                """)
            try db.create(table: "cache_reuse") { t in
                t.column("total", .integer).notNull()
            }
            try db.execute(sql: "INSERT INTO cache_reuse (total) SELECT COALESCE(SUM(hits), 0) FROM cache")
            try db.drop(table: "cache")
            try db.rename(table: "cache_v9", to: "cache")
        }
        // v10: new cache keys begin with a group (`CacheKey`), so one query's entries sort side
        // by side. The keys already stored cannot be regrouped (the query is not in the store);
        // `cache_legacy` counts them, and while it is above zero a lookup that misses tries a
        // request's older key, and a hit copies the entry to its new key. `cache gc` drops the
        // old entries so copied and counts the rest; `cache clear` leaves none.
        migrator.registerMigration("v10-cache-key-groups") { db in
            try db.create(table: "cache_legacy") { t in
                t.column("entries", .integer).notNull()
            }
            try db.execute(sql: "INSERT INTO cache_legacy (entries) SELECT COUNT(*) FROM cache")
        }
        return migrator
    }
}
