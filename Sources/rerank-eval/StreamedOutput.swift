import Foundation
import Synchronization
import RerankCommandLine
import RerankKit

/// Per-query output written as each query finishes (`--format csv`, `trec`, `jsonl`), so a run
/// of a million pairs never holds its report (issue 16). A file is written as FILE.partial and
/// renamed when the run ends, so FILE is never half a report; standard output gets lines as
/// they come.
///
final class StreamedOutput: Sendable {
    let format: OutputFormat
    let settings: RunSettings
    let path: String?
    private let handle: FileHandle
    private struct State {
        var buffer = ""
        /// The first problem: a TREC id that would break a line, or a write that failed.
        /// Writing stops there; the run goes on and is stored.
        var problem: String?
    }
    /// The run's task is the only writer and `finish` comes after it; the lock makes that checked.
    private let state = Mutex(State())

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
        guard state.withLock({ $0.problem == nil }) else { return }
        switch format {
        case .csv: append(ReportCSV.row(q, settings: settings) + "\n")
        case .jsonl: append(ReportJSON.queryLine(q, settings: settings))
        case .trec:
            do { append(try TRECRunWriter.lines(q)) } catch {
                let message = error.commandLineMessage
                state.withLock { $0.problem = message }
            }
        case .table, .json: break
        }
    }

    /// The closing lines, then the file in place. Returns the problem, if any.
    func finish(_ report: RunReport, testLooks: Int?) -> String? {
        if state.withLock({ $0.problem == nil }) {
            switch format {
            case .csv: append(ReportCSV.meanRow(report) + "\n")
            case .jsonl: append(ReportJSON.summaryLine(report, testLooks: testLooks))
            case .trec, .table, .json: break
            }
        }
        let problem = state.withLock { s -> String? in
            flush(&s)
            return s.problem
        }
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
        state.withLock { s in
            s.buffer += text
            if s.buffer.utf8.count >= 1 << 16 { flush(&s) }
        }
    }

    private func flush(_ s: inout State) {
        guard !s.buffer.isEmpty else { return }
        do { try handle.write(contentsOf: Data(s.buffer.utf8)) } catch {
            if s.problem == nil { s.problem = "\(path ?? "standard output"): cannot write the output: \(error.localizedDescription)" }
        }
        s.buffer = ""
    }
}
