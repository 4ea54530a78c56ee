import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// One row of the `result` table, bound straight to SQLite.
///
/// A run writes a row per call: a million for a large baseline run. Building GRDB's statement
/// arguments (seventeen values boxed as existentials, then checked and converted) cost more than
/// SQLite's own insert, so this binds each column with SQLite's C functions on GRDB's prepared
/// statement. The statement is GRDB's (cached, finalized by GRDB); only the binding is by hand.
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
            if let v { Self.bind(text: v, at: index, in: s) } else { sqlite3_bind_null(s, index) }
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
        try Self.step(insert)
    }

    /// Binds `text` to parameter `index`; SQLITE_TRANSIENT: SQLite copies the text before this returns.
    private static func bind(text: String, at index: Int32, in s: OpaquePointer?) {
        var text = text
        text.withUTF8 { bytes in
            let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
            bytes.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress {
                    _ = sqlite3_bind_text(s, index, base, Int32(chars.count), transient)
                } else {
                    _ = sqlite3_bind_text(s, index, "", 0, transient)
                }
            }
        }
    }

    /// Runs a statement bound by hand to its end, leaving it reset for the next binding.
    private static func step(_ statement: Statement) throws {
        let s = statement.sqliteStatement
        let code = sqlite3_step(s)
        sqlite3_reset(s)
        guard code == SQLITE_DONE else {
            let message = sqlite3_errmsg(sqlite3_db_handle(s)).map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }
}
