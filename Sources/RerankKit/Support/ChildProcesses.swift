import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Hygiene for starting other programs. Foundation's Process hands every open descriptor to the
/// child, and NIO's sockets are not close-on-exec: a child would hold our connections open.
/// A server we stopped then never sends its FIN, and a client that later reuses that pooled
/// connection waits on a socket nobody reads (seen as 20 s stalls in the tests while a
/// long-lived child ran).
public enum ChildProcesses {
    /// Marks every descriptor above stderr close-on-exec. Call it right before `Process.run()`;
    /// the child keeps only the stdin, stdout and stderr that Process sets up.
    public static func closeDescriptorsOnExec() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for name in names {
            guard let fd = Int32(name), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }
}
