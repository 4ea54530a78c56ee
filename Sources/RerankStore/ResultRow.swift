import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// One row of the `result` table, bound straight to SQLite.
///
/// A run writes a row per call that is not packed (failures, resumed pairs): bound by hand
/// (`HandBinding`), as GRDB's arguments for seventeen columns cost more than SQLite's insert.
struct ResultRow {
    var runID: Int64
    var queryID: String
    var candidateID: String
    var sampleIndex: Int
    var replyID: Int64?
    var replyText: String?
    var score: Double?
    var outcome: String?
    var promptTokens: Int
    var completionTokens: Int
    var latency: Double
    var attempts: Int
    var error: String?
    var errorKind: String?
    var recordedAt: String
    var cached: Bool

    /// The columns `insert` names, in its order: (run_id, query_id, candidate_id, sample_index,
    /// request_hash, reply_id, reply_text, score, outcome, prompt_tokens, completion_tokens,
    /// latency, attempts, error, error_kind, recorded_at, cached).
    func insert(with insert: Statement) throws {
        let s = insert.sqliteStatement
        sqlite3_reset(s)
        var i: Int32 = 0
        func next() -> Int32 { i += 1; return i }
        func bind(_ v: Int64?) { if let v { sqlite3_bind_int64(s, next(), v) } else { sqlite3_bind_null(s, next()) } }
        func bind(_ v: Double?) { if let v { sqlite3_bind_double(s, next(), v) } else { sqlite3_bind_null(s, next()) } }
        func bind(_ v: String?) {
            let index = next()
            if let v { HandBinding.bind(text: v, at: index, in: s) } else { sqlite3_bind_null(s, index) }
        }
        bind(runID)
        bind(queryID)
        bind(candidateID)
        bind(Int64(sampleIndex))
        bind(nil as String?)  // request_hash: a resume computes it again from the request
        bind(replyID)
        bind(replyText)
        bind(score)
        bind(outcome)
        bind(Int64(promptTokens))
        bind(Int64(completionTokens))
        bind(latency)
        bind(Int64(attempts))
        bind(error)
        bind(errorKind)
        bind(recordedAt)
        bind(Int64(cached ? 1 : 0))
        try HandBinding.step(insert)
    }
}
