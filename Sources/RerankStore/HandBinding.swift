import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// Binding and stepping GRDB's prepared statements with SQLite's C functions, for the statements
/// that run once per pair of a run (`ResultRow.insert`, the cache lookup): building GRDB's
/// arguments (values boxed as existentials, then checked and converted) cost more than SQLite's
/// own work. The statements stay GRDB's (cached, finalized by GRDB).
enum HandBinding {
    /// Binds `text` to parameter `index`; SQLITE_TRANSIENT: SQLite copies the text before this returns.
    static func bind(text: String, at index: Int32, in s: OpaquePointer?) {
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

    /// Runs a statement that returns no row to its end, leaving it reset for the next binding.
    static func step(_ statement: Statement) throws {
        let s = statement.sqliteStatement
        let code = sqlite3_step(s)
        sqlite3_reset(s)
        guard code == SQLITE_DONE else { throw error(code, statement) }
    }

    /// SQLite's error for a step that failed, as GRDB reports it (the store explains it).
    static func error(_ code: Int32, _ statement: Statement) -> DatabaseError {
        let message = sqlite3_errmsg(sqlite3_db_handle(statement.sqliteStatement)).map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}
