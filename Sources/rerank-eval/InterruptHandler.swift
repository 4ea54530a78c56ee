import Foundation
import RerankKit

/// Turns the first Ctrl-C into a clean cancellation (completed scores are kept and reported);
/// a second Ctrl-C exits at once.
final class InterruptHandler: @unchecked Sendable {
    private let source: DispatchSourceSignal
    private var count = 0

    init(onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue.global())
        source.setEventHandler { [unowned self] in
            self.count += 1
            if self.count > 1 {
                LocalServerPool.shared.stopAll()
                Foundation.exit(130)
            }
            printError("\ninterrupted: stopping; completed scores are kept (Ctrl-C again to quit now)")
            onInterrupt()
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
