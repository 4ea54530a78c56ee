import Foundation

/// Puts the terminal back on every way out: normal exit, termination signals and crashes.
enum TerminalGuard {
    static func install() {
        atexit { CursesTerminal.restore() }
        for sig in [SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
            signal(sig) { received in
                CursesTerminal.restore()
                // Re-raise with the default action so the exit status tells what happened.
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }
}
