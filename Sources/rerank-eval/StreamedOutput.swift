import Foundation
#if canImport(Glibc)
import Glibc
#endif
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
        var buffer: [UInt8] = []
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
            let fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
            guard fd >= 0 else {
                throw failInput("\(path): cannot write the output (creating \(partial) failed: \(String(cString: strerror(errno)))); check the folder exists and is writable")
            }
            handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        } else {
            handle = FileHandle.standardOutput
        }
        if format == .csv { append(ReportCSV.header(settings) + "\n") }
    }

    /// A window's queries, in order; their lines are made on every core (writing them was a
    /// quarter of a million-pair baseline run on one).
    func write(_ reports: [QueryReport]) {
        guard state.withLock({ $0.problem == nil }) else { return }
        let format = format, settings = settings
        let lines = Parallel.map(count: reports.count, minimumPerPart: 16) { i -> Result<[UInt8], CommandLineFailure> in
            let q = reports[i]
            switch format {
            case .csv: return .success(Array((ReportCSV.row(q, settings: settings) + "\n").utf8))
            case .jsonl: return .success(ReportJSON.queryLineBytes(q, settings: settings))
            case .trec:
                do { return .success(Array(try TRECRunWriter.lines(q).utf8)) } catch { return .failure(CommandLineFailure(error.commandLineMessage)) }
            case .table, .json: return .success([])
            }
        }
        for line in lines {
            switch line {
            case let .success(bytes): append(bytes)
            case let .failure(problem):
                state.withLock { $0.problem = problem.message }
                return
            }
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
            unlink(path + ".partial")
            return problem
        }
        // rename(2) puts the file in place of an old one in one step (there is no moment
        // without FILE). FileManager's remove-then-move did it in two, and its path handling
        // loaded ICU's normalization data at the end of every run (2-3 ms).
        guard rename(path + ".partial", path) == 0 else {
            return "\(path): cannot put the output in place: \(String(cString: strerror(errno))); it is in \(path).partial"
        }
        return nil
    }

    private func append(_ text: String) { append(Array(text.utf8)) }

    private func append(_ bytes: [UInt8]) {
        state.withLock { s in
            s.buffer += bytes
            if s.buffer.count >= 1 << 16 { flush(&s) }
        }
    }

    private func flush(_ s: inout State) {
        guard !s.buffer.isEmpty else { return }
        do { try handle.write(contentsOf: Data(s.buffer)) } catch {
            if s.problem == nil { s.problem = "\(path ?? "standard output"): cannot write the output: \(error.localizedDescription)" }
        }
        s.buffer.removeAll(keepingCapacity: true)
    }
}

/// A line that could not be written, carried out of the workers that make them.
private struct CommandLineFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
