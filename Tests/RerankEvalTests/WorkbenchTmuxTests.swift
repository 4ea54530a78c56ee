import Foundation
import RerankTestSupport
import Testing

/// The real `rerankbench` binary driven in tmux (Tests/tmux/workbench.sh): edit, run, read
/// scores and NDCG, compare, help, resize, export, quit with the terminal restored.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "needs tmux (apt-get install tmux)"))
struct WorkbenchTmuxTests {
    @Test func scriptedSessionPasses() async throws {
        let binary = CommandRunner.productsDirectory.appendingPathComponent("rerankbench").path
        let script = Fixtures.repoPath("Tests/tmux/workbench.sh")
        let r = try await CommandRunner.run(executable: URL(fileURLWithPath: "/bin/bash"), [script, binary],
                                            environment: ["PATH": "/usr/bin:/bin", "TERM": "xterm-256color", "HOME": NSTemporaryDirectory()])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("checks passed"))
    }
}
