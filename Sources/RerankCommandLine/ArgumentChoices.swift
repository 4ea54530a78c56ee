import ArgumentParser

/// A String-backed set of choices given on the command line (`--format jsonl`, `--ties trec`).
///
/// Why its own `allValueStrings`: ArgumentParser's default for such a type maps the cases
/// through a generic key path (`\.rawValue.defaultValueDescription`) that the runtime builds from
/// its mangled name every time a command's options are gathered, several times per parse. That
/// was about a sixth of the time `run` took to read its arguments, a fixed cost of every run.
/// The strings are the same: a String's description is itself.
public protocol ArgumentChoices: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension ArgumentChoices {
    public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
}
