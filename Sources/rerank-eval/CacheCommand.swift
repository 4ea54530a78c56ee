import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

struct CacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "The response cache: replies reused when the same request is made again.",
        subcommands: [Stats.self, Clear.self, GC.self])

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stats", abstract: "How many replies are cached, for which models, and how often they were reused.")
        @OptionGroup var storeOption: StoreOption

        func run() async throws {
            let store = try storeOption.open()
            let s: RunStore.CacheStats
            do { s = try store.cacheStats() } catch { throw failInput(error.commandLineMessage) }
            var lines = ["store     \(store.path) (\(Self.bytes(s.fileBytes)) on disk)",
                         "cache     \(s.entries) repl\(s.entries == 1 ? "y" : "ies") (\(Self.bytes(s.replyBytes))), reused \(s.hits) time\(s.hits == 1 ? "" : "s")"]
            if let o = s.oldest, let n = s.newest { lines.append("written   \(HistoryCommand.date(o)) to \(HistoryCommand.date(n))") }
            for m in s.byModel { lines.append("          \(m.entries)  \(TerminalText.inert(m.provider))/\(TerminalText.inert(m.model))") }
            if s.oldKeys > 0 {
                lines.append("old keys  \(s.oldKeys) entr\(s.oldKeys == 1 ? "y is" : "ies are") under an older version's keys: the next run that uses one copies it to its new key, and `rerank-eval cache gc` then drops the old copy")
            }
            printText(lines.joined(separator: "\n"))
        }

        static func bytes(_ n: Int) -> String {
            n >= 1 << 20 ? "\((Double(n) / 1048576).formatted(decimals: 1)) MiB" : n >= 1024 ? "\((Double(n) / 1024).formatted(decimals: 1)) KiB" : "\(n) B"
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "clear", abstract: "Drop every cached reply (run history stays).")
        @OptionGroup var storeOption: StoreOption

        func run() async throws {
            let store = try storeOption.open()
            do {
                let n = try store.clearCache()
                printText("dropped \(n) cached repl\(n == 1 ? "y" : "ies") from \(store.path); run history is kept")
            } catch { throw failInput(error.commandLineMessage) }
        }
    }

    struct GC: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gc",
            abstract: "Drop cached replies that no stored run used, and give the space back.",
            discussion: "Replies of runs deleted with `rerank-eval store delete` go; every stored run keeps the replies it used, and they stay cached. Entries a run copied from an older version's keys to the new ones (one query's entries side by side) lose their old copy.")
        @OptionGroup var storeOption: StoreOption

        func run() async throws {
            let store = try storeOption.open()
            do {
                let r = try store.gcCache()
                printText("dropped \(r.cacheEntries) cache entr\(r.cacheEntries == 1 ? "y" : "ies") and \(r.replies) repl\(r.replies == 1 ? "y" : "ies") no run used"
                          + (r.folded > 0 ? "; \(r.folded) older result\(r.folded == 1 ? "" : "s") now share the cache's copy" : "")
                          + (r.oldKeys > 0 ? "; dropped \(r.oldKeys) entr\(r.oldKeys == 1 ? "y" : "ies") under keys of an older version, copied since to new keys" : "")
                          + "; freed \(Stats.bytes(r.bytesFreed)) (\(store.path) is \(Stats.bytes(r.bytesAfter)))")
            } catch { throw failInput(error.commandLineMessage) }
        }
    }
}
