import ArgumentParser
import Foundation
import RerankKit

/// `rerank-eval tune show`: a stored tune's lineage as a tree.
struct TuneShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a tune's lineage as a tree: every candidate, its parent, its critique, dev scores, calls, and the test verdict.",
        discussion: "Example:\n  rerank-eval tune show last")

    @Argument(help: "The tune: a number, last, or last~N.")
    var tune: String

    @OptionGroup var storeOption: StoreOption

    func run() async throws {
        let store = try storeOption.open()
        let stored: StoredTune?
        do { stored = try store.tune(id: try store.resolveTune(tune)) } catch { throw failInput(error.commandLineMessage) }
        guard let stored else { throw failInput("\(store.path): has no tune \(tune)") }
        printText(TuneTree.render(stored))
    }
}
