import Foundation
import RerankKit
import Synchronization

/// A one-line progress bar with rate and ETA on stderr, drawn only when stderr is a terminal.
final class ProgressBar: Sendable {
    private struct State {
        var done = 0
        var total = 0
        var failed = 0
        var retries = 0
        var lastDraw = 0.0
        var start = 0.0
    }

    private let state = Mutex(State())
    private let enabled: Bool
    private let clock = SystemRunClock()

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func handle(_ event: RunEvent) {
        guard enabled else { return }
        let line: String? = state.withLock { s in
            let now = clock.now()
            switch event {
            case let .started(total):
                s.total = total
                s.start = now
            case let .pairFinished(result, done, _):
                s.done = done
                if result.failed { s.failed += 1 }
            case .retrying:
                s.retries += 1
            case .restored:
                return nil
            case .finished:
                return "\r\u{1B}[2K"
            }
            guard now - s.lastDraw >= 0.1 || s.done == s.total else { return nil }
            s.lastDraw = now
            return render(s, now: now)
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    private func render(_ s: State, now: Double) -> String {
        let elapsed = max(now - s.start, 1e-6)
        let rate = Double(s.done) / elapsed
        let remaining = rate > 0 ? Double(s.total - s.done) / rate : 0
        let fraction = s.total > 0 ? Double(s.done) / Double(s.total) : 1
        let width = max(10, min(40, Terminal.width - 60))
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        var text = "[\(bar)] \(s.done)/\(s.total) \(rate.formatted(decimals: 1)) calls/s ETA \(Self.duration(remaining))"
        if s.failed > 0 { text += " failed \(s.failed)" }
        if s.retries > 0 { text += " retries \(s.retries)" }
        // Our own carriage return and erase-line are the only control sequences on this line;
        // the text after them goes through TerminalText like every other line people read.
        return "\r\u{1B}[2K" + TerminalText.inert(text)
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}
