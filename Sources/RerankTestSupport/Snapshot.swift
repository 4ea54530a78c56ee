import Foundation
import Testing

/// Text snapshots of screens, stored beside the tests in `__Snapshots__/NAME.txt`.
/// Re-record with `RECORD_SNAPSHOTS=1 swift test`.
public enum Snapshot {
    public static func check(_ text: String, named name: String, directory: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        let path = (directory as NSString).appendingPathComponent("__Snapshots__/\(name).txt")
        let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
        if recording {
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try? (text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        guard let stored = try? String(contentsOfFile: path, encoding: .utf8) else {
            Issue.record("no snapshot \(name) at \(path); record it with RECORD_SNAPSHOTS=1 swift test", sourceLocation: sourceLocation)
            return
        }
        let expected = stored.hasSuffix("\n") ? String(stored.dropLast()) : stored
        if expected != text {
            let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let b = text.split(separator: "\n", omittingEmptySubsequences: false)
            var diff: [String] = []
            for i in 0..<max(a.count, b.count) {
                let e: String = i < a.count ? String(a[i]) : "<none>"
                let g: String = i < b.count ? String(b[i]) : "<none>"
                if e == g { continue }
                diff.append("line \(i + 1):\n  expected: " + e + "\n  actual:   " + g)
                if diff.count >= 5 { break }
            }
            let message: String = "snapshot \(name) differs (re-record with RECORD_SNAPSHOTS=1 if intended):\n" + diff.joined(separator: "\n")
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
    }
}
