import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Replaces a file so that, whenever the process dies, the path holds either the old contents
/// or the new ones, never a part: the new bytes go to a temporary file in the same folder (a
/// rename is atomic only within one file system), are flushed to the disk (fsync), then renamed
/// over the old file, and the folder is flushed so the rename itself survives a power cut.
public enum AtomicFile {
    /// Writes `bytes` to `path`. `check` runs on the complete temporary file before it replaces
    /// anything (a throw leaves the old file as it was and removes the temporary one); tests
    /// also use it to fail between the write and the rename.
    ///
    /// `durable: false` skips both flushes, for a file whose loss or emptiness after a power cut
    /// costs only work redone (the store's integrity note): a process that dies still leaves
    /// the old contents or the new, and the flushes cost milliseconds of waiting on every write.
    public static func write(_ bytes: [UInt8], to path: String, durable: Bool = true,
                             check: (String) throws -> Void = { _ in }) throws(InputError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        // The new file keeps the old one's permissions (a group-writable dataset stays so).
        var mode: mode_t = 0o644
        var info = stat()
        if stat(path, &info) == 0 { mode = info.st_mode & 0o7777 }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else { throw failure(path, "cannot create a temporary file in \(directory)") }
        var closed = false
        do throws(InputError) {
            guard writeAll(fd, bytes) else { throw failure(path, "cannot write the temporary file") }
            guard !durable || fsync(fd) == 0 else { throw failure(path, "cannot flush the temporary file to disk") }
            closed = true
            guard close(fd) == 0 else { throw failure(path, "cannot close the temporary file") }
            do { try check(temporary) } catch let e as InputError { throw e } catch {
                throw InputError(file: path, message: "not replaced: \(error)")
            }
            guard rename(temporary, path) == 0 else { throw failure(path, "cannot rename the temporary file over it") }
        } catch {
            if !closed { close(fd) }
            unlink(temporary)
            throw error
        }
        guard durable else { return }
        let dirFD = open(directory, O_RDONLY)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
    }

    /// Appends `text` to `path` (created if missing) and flushes it: a log that only grows.
    public static func append(_ text: String, to path: String) throws(InputError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw failure(path, "cannot open for appending") }
        defer { close(fd) }
        guard writeAll(fd, Array(text.utf8)) else { throw failure(path, "cannot append") }
        fsync(fd)
    }

    /// Writes every byte (write(2) may take fewer at a time); false on an error (`errno` says which).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            written += n
        }
        return true
    }

    static func failure(_ path: String, _ what: String) -> InputError {
        InputError(file: path, message: "\(what): \(String(cString: strerror(errno))); check the folder's permissions and free space")
    }
}

/// The system's write(2), named apart from `AtomicFile.write`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
