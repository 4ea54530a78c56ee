import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

/// Housekeeping of the run store: delete runs, give space back.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "The run store itself: delete runs, reclaim space.",
        subcommands: [Vacuum.self, Delete.self])

    struct Vacuum: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vacuum",
            abstract: "Drop replies nothing refers to and give the free space back to the disk.",
            discussion: "Results stored by RerankBench before each reply was kept once are folded onto the cache's copy first. History and the cache are kept.")
        @OptionGroup var storeOption: StoreOption

        func run() async throws {
            let store = try storeOption.open()
            do {
                let r = try store.vacuum()
                var parts = ["dropped \(r.replies) unused repl\(r.replies == 1 ? "y" : "ies")"]
                if r.folded > 0 { parts.append("\(r.folded) older result\(r.folded == 1 ? "" : "s") now share the cache's copy") }
                parts.append("freed \(CacheCommand.Stats.bytes(r.bytesFreed)) (\(store.path) is \(CacheCommand.Stats.bytes(r.bytesAfter)))")
                printText(parts.joined(separator: "; "))
            } catch { throw failInput(error.commandLineMessage) }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete stored runs and their results (test looks stay counted).",
            discussion: "Their cached replies stay until `rerank-eval cache gc`.")
        @OptionGroup var storeOption: StoreOption

        @Argument(help: ArgumentHelp("Runs to delete: numbers from `history`, or last, last~N.", valueName: "run"))
        var runs: [String]

        func validate() throws {
            if runs.isEmpty { throw ValidationError("name at least one run to delete (see `rerank-eval history`)") }
        }

        func run() async throws {
            let store = try storeOption.open()
            do {
                let ids = try runs.map { try store.resolve($0) }
                let n = try store.deleteRuns(ids)
                printText("deleted \(n) run\(n == 1 ? "" : "s") (\(ids.map { "#\($0)" }.joined(separator: ", "))); `rerank-eval cache gc` drops replies no other run used")
            } catch { throw failInput(error.commandLineMessage) }
        }
    }
}
