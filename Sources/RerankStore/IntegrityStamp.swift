import Foundation
import RerankCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What lets an open skip `PRAGMA quick_check`: a note beside the store (`<store>-checked`) of
/// the file as it was when a RerankBench process last closed it cleanly, after a check at its
/// open or a matching note.
///
/// Why: the check reads every page, 0.18 s on a 20 MB store and seconds on a store of a few
/// million results, and every command opens the store (a cached re-run of 30,000 pairs aims
/// at 0.3 s in all). A store that is exactly as this program left it (same file, size and
/// modification time to the nanosecond, no write-ahead log left over from a killed process or
/// another writer) has nothing new to check; anything else (a copy, another program's write,
/// a crash) is checked again. What this gives up: damage to a page that changes neither size
/// nor time (a failing disk) is found when that page is read, as SQLite's corruption error,
/// which the store reports as damaged, instead of at the open.
struct IntegrityStamp: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var seconds: Int64
    var nanoseconds: Int64

    /// Where the note of `storePath` is kept.
    static func notePath(_ storePath: String) -> String { storePath + "-checked" }

    /// The store file as it is now; nil when it cannot be read or a write-ahead log with content
    /// is beside it (a process still has it open, or one was killed: not as we left it).
    static func current(_ storePath: String) -> IntegrityStamp? {
        var wal = stat()
        if stat(storePath + "-wal", &wal) == 0, wal.st_size > 0 { return nil }
        var file = stat()
        guard stat(storePath, &file) == 0 else { return nil }
        return IntegrityStamp(device: UInt64(file.st_dev), inode: UInt64(file.st_ino), size: Int64(file.st_size),
                              seconds: Int64(file.st_mtim.tv_sec), nanoseconds: Int64(file.st_mtim.tv_nsec))
    }

    var line: String { "rerankbench store checked: device=\(device) inode=\(inode) size=\(size) mtime=\(seconds).\(nanoseconds)\n" }

    /// The note's stamp, if it reads whole.
    static func noted(_ storePath: String) -> IntegrityStamp? {
        guard let text = try? String(contentsOfFile: notePath(storePath), encoding: .utf8) else { return nil }
        var fields: [String: String] = [:]
        for part in text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        let time = fields["mtime"]?.split(separator: ".", maxSplits: 1) ?? []
        guard text.hasPrefix("rerankbench store checked: "), time.count == 2,
              let device = fields["device"].flatMap({ UInt64($0) }), let inode = fields["inode"].flatMap({ UInt64($0) }),
              let size = fields["size"].flatMap({ Int64($0) }), let seconds = Int64(time[0]), let nanoseconds = Int64(time[1])
        else { return nil }
        return IntegrityStamp(device: device, inode: inode, size: size, seconds: seconds, nanoseconds: nanoseconds)
    }

    /// Whether the store is as the note says it was left.
    static func matches(_ storePath: String) -> Bool {
        guard let now = current(storePath), let noted = noted(storePath) else { return false }
        return now == noted
    }

    /// Notes the store as it is now (after a clean close); removes a stale note when the store
    /// is not in a state worth noting. Failing to write only means the next open checks.
    static func note(_ storePath: String) {
        guard let now = current(storePath) else {
            forget(storePath)
            return
        }
        // Not flushed to the disk: after a power cut the note is the old one, the new one or
        // empty, and only the new one matches the store, which its checkpoint has flushed
        // already; the others cost one check. A flush here waited 1-4 ms at every close.
        try? AtomicFile.write(Array(now.line.utf8), to: notePath(storePath), durable: false)
    }

    static func forget(_ storePath: String) {
        unlink(notePath(storePath))
    }
}
