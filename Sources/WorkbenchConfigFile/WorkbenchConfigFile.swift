import Foundation
import RerankCore
import TOMLKit
import WorkbenchUI

/// The workbench's own config file, `~/.config/rerankbench/config.toml` (or where
/// `RERANKBENCH_CONFIG` says): keys, theme, mouse and a fresh session's defaults. It is read
/// here, at the edge, into WorkbenchUI's plain `WorkbenchConfig`, so the UI never sees TOML.
///
/// A file that cannot be used is never half applied: the first problem in it (by line) comes
/// back with its line and fix, and the workbench starts with the built-in defaults.
public enum WorkbenchConfigFile {
    /// RERANKBENCH_CONFIG, else $XDG_CONFIG_HOME/rerankbench/config.toml, else
    /// ~/.config/rerankbench/config.toml.
    public static func path(environment: [String: String]) -> String {
        if let given = environment["RERANKBENCH_CONFIG"], !given.isEmpty { return given }
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/rerankbench/config.toml" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/rerankbench/config.toml"
    }

    /// The config at `path`: the built-in one when there is no file (the usual case), the
    /// file's when it is good, and the problem when it is not.
    public static func load(path: String) -> Result<WorkbenchConfig, ConfigProblem> {
        guard FileManager.default.fileExists(atPath: path) else { return .success(.builtIn) }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return .failure(ConfigProblem(path: path, line: nil, message: "cannot be read as UTF-8 text", fix: "check the file's permissions and encoding"))
        }
        return parse(text, path: path)
    }

    /// The config a TOML text describes, or its first problem.
    public static func parse(_ text: String, path: String) -> Result<WorkbenchConfig, ConfigProblem> {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            return .failure(ConfigProblem(path: path, line: error.source.begin.line, message: "not valid TOML: \(error.description)",
                                          fix: "fix the TOML syntax there (strings in double quotes, one key = value a line, [table] headers)"))
        } catch {
            return .failure(ConfigProblem(path: path, line: nil, message: "not valid TOML: \(error)", fix: "fix the TOML syntax"))
        }
        var reader = Reader(text: text, path: path)
        let config = reader.read(table)
        if let first = reader.problems.min(by: { ($0.line ?? 0) < ($1.line ?? 0) }) { return .failure(first) }
        return .success(config)
    }

    /// Walks the parsed tables, collecting every problem with its line; the caller reports the
    /// first. (toml++ sorts a table's keys, so the order met is not the file's.)
    struct Reader {
        let lines: SourceLines
        let path: String
        var problems: [ConfigProblem] = []

        init(text: String, path: String) {
            lines = SourceLines(text)
            self.path = path
        }

        mutating func problem(_ key: String, in table: String?, _ message: String, fix: String) {
            problems.append(ConfigProblem(path: path, line: lines.line(of: key, in: table), message: message, fix: fix))
        }

        mutating func read(_ root: TOMLTable) -> WorkbenchConfig {
            var config = WorkbenchConfig()
            var themeName = "dark"
            for key in root.keys {
                let value = root[key]!
                switch key {
                case "theme":
                    guard let name = value.string else { problem(key, in: nil, "theme must be a string", fix: #"write theme = "dark" or theme = "light""#); continue }
                    guard let theme = Theme.named(name) else {
                        problem(key, in: nil, "unknown theme '\(name)'", fix: "use one of \(Theme.builtIn.map(\.name).joined(separator: ", ")), and recolour single roles under [colors]")
                        continue
                    }
                    themeName = theme.name
                case "mouse":
                    guard let on = value.bool else { problem(key, in: nil, "mouse must be true or false", fix: "write mouse = false to leave the mouse to the terminal"); continue }
                    config.mouse = on
                case "colors", "colours", "keys", "defaults":
                    guard value.table != nil else { problem(key, in: nil, "\(key) must be a table", fix: "write it as a [\(key)] section with one name = value a line"); continue }
                default:
                    problem(key, in: nil, "unknown setting '\(key)'", fix: "the settings are theme, mouse, [colors], [keys] and [defaults] (see the README's sample config)")
                }
            }
            // Per-colour overrides apply over the chosen theme, whichever order the file has.
            config.theme = Theme.named(themeName) ?? .dark
            for name in ["colors", "colours"] { if let colors = root[name]?.table { readColors(colors, table: name, into: &config.theme) } }
            if let keys = root["keys"]?.table { readKeys(keys, into: &config) }
            if let defaults = root["defaults"]?.table { readDefaults(defaults, into: &config) }
            return config
        }

        mutating func readColors(_ table: TOMLTable, table name: String, into theme: inout Theme) {
            let roles = Theme.Role.allCases.map(\.rawValue).joined(separator: ", ")
            let colors = TermColor.allCases.map(\.name).joined(separator: ", ")
            for key in table.keys {
                guard let role = Theme.Role(rawValue: key) else {
                    problem(key, in: name, "unknown colour '\(key)' in [\(name)]", fix: "the colours a theme names are \(roles)")
                    continue
                }
                guard let value = table[key]?.string, let color = TermColor.named(value) else {
                    let given = table[key]?.string.map { "'\($0)'" } ?? "that value"
                    problem(key, in: name, "\(given) is not a colour for \(key)", fix: "use one of \(colors) (in double quotes)")
                    continue
                }
                theme.colors[role] = color
            }
        }

        mutating func readKeys(_ table: TOMLTable, into config: inout WorkbenchConfig) {
            for name in table.keys {
                guard let command = Command(rawValue: name) else {
                    problem(name, in: "keys", "unknown command '\(name)' in [keys]",
                            fix: "use a command name from the README's key table, e.g. run, pinA, compare, help, quit, toggleWrap")
                    continue
                }
                let value = table[name]!
                let names: [String]
                if let one = value.string {
                    names = [one]
                } else if let many = value.array, many.allSatisfy({ $0.string != nil }) {
                    names = many.compactMap { $0.string }
                } else {
                    problem(name, in: "keys", "\(name) must be a key name or a list of them", fix: #"write e.g. \#(name) = "F6" or \#(name) = ["F6", "Ctrl-R"]"#)
                    continue
                }
                var keys: [Key] = []
                for keyName in names {
                    guard let key = KeyName.key(keyName) else {
                        problem(name, in: "keys", "'\(keyName)' is not a key name (for \(name))", fix: "use \(KeyName.hint)")
                        continue
                    }
                    if case .mouse = key { continue }
                    keys.append(key)
                }
                if names.isEmpty { problem(name, in: "keys", "\(name) is given no key", fix: "give at least one key, or leave the line out to keep the built-in ones") }
                if !keys.isEmpty { config.keys[command] = keys }
            }
            guard problems.isEmpty else { return }
            do throws(KeymapConflict) {
                _ = try config.keymap()
            } catch {
                problem(error.command.rawValue, in: "keys",
                        "\(error.key.label) is given to \(error.command.rawValue) and is already \(error.other.rawValue)'s key in the \(error.pane.name) pane",
                        fix: "give one of them another key (a key runs one command per pane)")
            }
        }

        mutating func readDefaults(_ table: TOMLTable, into config: inout WorkbenchConfig) {
            for key in table.keys {
                let value = table[key]!
                switch key {
                case "provider":
                    guard let name = value.string, ProviderCatalog.names.contains(name) else {
                        problem(key, in: "defaults", "unknown provider \(value.string.map { "'\($0)'" } ?? "(not a string)")",
                                fix: "use one of \(ProviderCatalog.names.joined(separator: ", "))")
                        continue
                    }
                    config.provider = name
                case "model":
                    guard let name = value.string, !name.isEmpty else { problem(key, in: "defaults", "model must be a model name", fix: #"write e.g. model = "gpt-4o-mini""#); continue }
                    config.model = name
                case "cutoffs":
                    guard let list = value.array, !list.isEmpty, list.allSatisfy({ ($0.int ?? 0) > 0 }) else {
                        problem(key, in: "defaults", "cutoffs must be a list of positive whole numbers", fix: "write e.g. cutoffs = [5, 10]")
                        continue
                    }
                    config.cutoffs = Array(Set(list.compactMap { $0.int })).sorted()
                case "concurrency":
                    guard let n = value.int, (1...64).contains(n) else { problem(key, in: "defaults", "concurrency must be a whole number from 1 to 64", fix: "write e.g. concurrency = 4"); continue }
                    config.concurrency = n
                default:
                    problem(key, in: "defaults", "unknown default '\(key)' in [defaults]", fix: "the defaults are provider, model, cutoffs and concurrency")
                }
            }
        }
    }
}
