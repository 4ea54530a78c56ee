import Foundation
import RerankKit

/// Shared fixtures: temporary files and small datasets built in code.
public enum Fixtures {
    /// The folder every temporary file of this test process goes in, removed when the process
    /// exits (a full run writes about 25 MB; left behind, runs filled /tmp by gigabytes).
    public static let scratchRoot: String = {
        let path = NSTemporaryDirectory() + "rerankbench-test-\(getpid())-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: Fixtures.scratchRoot) }
        return path
    }()

    /// A fresh temporary folder, unique per call.
    public static func temporaryDirectory() -> String {
        let path = (scratchRoot as NSString).appendingPathComponent(UUID().uuidString)
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `text` to a new temporary file and returns its path.
    @discardableResult
    public static func write(_ text: String, name: String = "data.jsonl", in directory: String? = nil) -> String {
        let dir = directory ?? temporaryDirectory()
        let path = (dir as NSString).appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    /// The repository root, found from this source file's location.
    public static var repositoryRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }

    /// A path inside the repository.
    public static func repoPath(_ relative: String) -> String {
        (repositoryRoot as NSString).appendingPathComponent(relative)
    }
}
