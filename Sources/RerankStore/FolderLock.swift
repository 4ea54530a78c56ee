import RerankCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock (flock) on a folder, held between processes while a store is
/// created or migrated. A folder rather than a lock file: nothing is left behind. Best effort:
/// where the folder cannot be opened or locked, it does nothing (SQLite's own locking still
/// guards every write; only the first creation race is left open).
struct FolderLock {
    private let descriptor: Int32

    init(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            // Blocks until the other process has finished opening its store.
            while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        }
        descriptor = fd
    }

    func release() {
        guard descriptor >= 0 else { return }
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
