import Foundation
import RerankKit
import RerankTestSupport
import Testing
import WorkbenchConfigFile
@testable import WorkbenchUI

/// Issue 18 part 4: the config file, read at the edge into a plain `WorkbenchConfig`; a bad
/// one is refused whole with its line and the fix.
@Suite struct ConfigFileTests {
    static let sample = """
    # keys, colours and defaults
    theme = "light"
    mouse = false

    [colors]
    flag = "red"

    [keys]
    pinA = "a"
    run = ["F6", "Ctrl-R"]

    [defaults]
    provider = "lexical"
    model = "bm25"
    cutoffs = [10, 5]
    concurrency = 3
    """

    func problem(_ text: String) -> ConfigProblem? {
        if case let .failure(p) = WorkbenchConfigFile.parse(text, path: "cfg.toml") { return p }
        return nil
    }

    @Test func aGoodFileSetsEverything() throws {
        let config = try WorkbenchConfigFile.parse(Self.sample, path: "cfg.toml").get()
        #expect(config.theme.color(.focus) == Theme.light.color(.focus))
        #expect(config.theme.color(.flag) == .red)
        #expect(config.mouse == false)
        #expect(config.keys[.pinA] == [.char("a")])
        #expect(config.keys[.run] == [.function(6), .ctrl("r")])
        #expect(config.provider == "lexical" && config.model == "bm25")
        #expect(config.cutoffs == [5, 10] && config.concurrency == 3)
    }

    @Test func noFileIsTheBuiltInConfig() throws {
        let config = try WorkbenchConfigFile.load(path: Fixtures.temporaryDirectory() + "/absent.toml").get()
        #expect(config == .builtIn)
    }

    @Test func theFileIsFoundWhereTheEnvironmentSays() {
        #expect(WorkbenchConfigFile.path(environment: ["RERANKBENCH_CONFIG": "/x/c.toml", "HOME": "/h"]) == "/x/c.toml")
        #expect(WorkbenchConfigFile.path(environment: ["HOME": "/h"]) == "/h/.config/rerankbench/config.toml")
        #expect(WorkbenchConfigFile.path(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "/xdg"]) == "/xdg/rerankbench/config.toml")
    }

    /// Each kind of mistake: its line, words naming what is wrong, and the fix.
    @Test(arguments: [
        ("theme = \"light\"\nmouse = tru\n", 2, "not valid TOML", "fix the TOML syntax"),
        ("theme = \"light\"\n\nfont = \"x\"\n", 3, "unknown setting 'font'", "theme, mouse, [colors], [keys] and [defaults]"),
        ("theme = \"sepia\"\n", 1, "unknown theme 'sepia'", "dark, light"),
        ("[keys]\nrun = \"F6\"\nlaunch = \"x\"\n", 3, "unknown command 'launch'", "README's key table"),
        ("[keys]\n\nrun = \"Hyper-X\"\n", 3, "'Hyper-X' is not a key name", "Ctrl-X"),
        ("[colors]\nfocus = \"blue\"\nflag = \"purple\"\n", 3, "'purple' is not a colour for flag", "default, black, red"),
        ("[colors]\nborder = \"red\"\n", 2, "unknown colour 'border'", "pane, focus, up, down, flag"),
        ("[defaults]\nconcurrency = 0\n", 2, "concurrency must be a whole number from 1 to 64", "concurrency = 4"),
        ("[defaults]\nprovider = \"acme\"\n", 2, "unknown provider 'acme'", "openai"),
        ("[keys]\nrun = \"F6\"\npinA = \"c\"\n", 3, "c is given to pinA and is already compare's key", "give one of them another key"),
    ] as [(String, Int, String, String)])
    func aBadFileNamesItsLineAndTheFix(text: String, line: Int, message: String, fix: String) throws {
        let p = try #require(problem(text))
        #expect(p.line == line, "\(p)")
        #expect(p.message.contains(message), "\(p)")
        #expect(p.fix.contains(fix), "\(p)")
        #expect(p.description.hasPrefix("cfg.toml:\(line): "))
        #expect(p.description.contains("built-in"))
    }

    /// The first problem by line is the one shown, whatever order the parser met them in.
    @Test func theFirstProblemInTheFileIsShown() throws {
        let p = try #require(problem("[keys]\nzzz = \"x\"\n[colors]\naaa = \"red\"\n"))
        #expect(p.line == 2)
    }

    @Test func aFileThatCannotBeReadIsAProblemWithoutALine() throws {
        let path = Fixtures.temporaryDirectory() + "/bad.toml"
        try Data([0xFF, 0xFE, 0x00]).write(to: URL(fileURLWithPath: path))
        guard case let .failure(p) = WorkbenchConfigFile.load(path: path) else { Issue.record("accepted"); return }
        #expect(p.line == nil && p.description.hasPrefix(path + ": "))
    }

    /// The config's defaults make a fresh session's settings; its keys and theme go to the state.
    @Test func defaultsAndKeysReachTheState() throws {
        let config = try WorkbenchConfigFile.parse(Self.sample, path: "cfg.toml").get()
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        s.apply(config)
        s.applyDefaults(config)
        #expect(s.settings.provider == "lexical" && s.settings.model == "bm25")
        #expect(s.settings.metrics.cutoffs == [5, 10] && s.settings.concurrency == 3)
        #expect(s.theme.name == "light")
        #expect(s.keymap.command(for: .char("a"), focus: .results) == .pinA)
        #expect(s.keymap.command(for: .char("p"), focus: .results) == nil)
    }
}
