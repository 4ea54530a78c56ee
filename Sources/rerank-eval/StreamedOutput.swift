import Foundation
import RerankCommandLine
import RerankKit

/// Per-query output written as each query finishes (`--format csv`, `trec`, `jsonl`), so a run
/// of a million pairs never holds its report (issue 16). A file is written as FILE.partial and
/// renamed when the run ends, so FILE is never half a report; standard output gets lines as
/// they come.
///
/// Unchecked Sendable: the run's task is the only writer, and `finish` runs after that task
/// has been awaited; nothing touches it from two places at once.
final class StreamedOutput: @unchecked Sendable {
    let format: OutputFormat
    let settings: RunSettings
    let path: String?
    private let handle: FileHandle
    private var buffer = ""
    /// The first problem: a TREC id that would break a line, or a write that failed. Writing
    /// stops there; the run goes on and is stored.
    private(set) var problem: String?

    static func streams(_ format: OutputFormat) -> Bool { format == .csv || format == .trec || format == .jsonl }

    init(format: OutputFormat, settings: RunSettings, path: String?) throws {
        self.format = format
        self.settings = settings
        self.path = path
        if let path {
            let partial = path + ".partial"
            guard FileManager.default.createFile(atPath: partial, contents: nil), let h = FileHandle(forWritingAtPath: partial) else {
                throw failInput("\(path): cannot write the output (creating \(partial) failed); check the folder exists and is writable")
            }
            handle = h
        } else {
            handle = FileHandle.standardOutput
        }
        if format == .csv { append(ReportCSV.header(settings) + "\n") }
    }

    func write(_ q: QueryReport) {
        guard problem == nil else { return }
        switch format {
        case .csv: append(ReportCSV.row(q, settings: settings) + "\n")
        case .jsonl: append(ReportJSON.queryLine(q, settings: settings))
        case .trec:
            do { append(try TRECRunWriter.lines(q)) } catch { problem = error.commandLineMessage }
        case .table, .json: break
        }
    }

    /// The closing lines, then the file in place. Returns the problem, if any.
    func finish(_ report: RunReport, testLooks: Int?) -> String? {
        if problem == nil {
            switch format {
            case .csv: append(ReportCSV.meanRow(report) + "\n")
            case .jsonl: append(ReportJSON.summaryLine(report, testLooks: testLooks))
            case .trec, .table, .json: break
            }
        }
        flush()
        guard let path else { return problem }
        try? handle.close()
        if problem != nil {
            try? FileManager.default.removeItem(atPath: path + ".partial")
            return problem
        }
        do {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: path + ".partial", toPath: path)
        } catch { return "\(path): cannot write the output: \(error.localizedDescription)" }
        return nil
    }

    private func append(_ text: String) {
        buffer += text
        if buffer.utf8.count >= 1 << 16 { flush() }
    }

    private func flush() {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: Data(buffer.utf8)) } catch {
            if problem == nil { problem = "\(path ?? "standard output"): cannot write the output: \(error.localizedDescription)" }
        }
        buffer = ""
    }
}
