import ArgumentParser
import Foundation
import RerankKit

struct PromptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompts",
        abstract: "List the prompt files in a folder (default Prompts/).",
        discussion: "Example:\n  rerank-eval prompts --dir Prompts"
    )

    @Option(name: .long, help: "Folder of prompt files.")
    var dir: String = "Prompts"

    func run() throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
            throw failInput("\(dir): no such folder; run from the repository root or pass --dir")
        }
        var rows: [[String]] = [["file", "name", "mode", "parser", "scale", "description"]]
        for name in names.sorted() where name.hasSuffix(".txt") || name.hasSuffix(".md") || name.hasSuffix(".prompt") {
            let path = (dir as NSString).appendingPathComponent(name)
            if name == "README.md" { continue }
            guard let p = try? ScoringPrompt.load(path: path) else {
                rows.append([path, "?", "?", "?", "?", "(cannot be read: run `rerank-eval validate \(path)`)"])
                continue
            }
            rows.append([path, p.name, p.mode?.rawValue ?? "-", p.parser?.rawValue ?? "-", p.scale?.rawValue ?? "-", p.description])
        }
        printText(ReportTable.table(rows, rightAligned: []).joined(separator: "\n"))
    }
}
