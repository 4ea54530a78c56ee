import ArgumentParser
import RerankKit

/// The score calibration options of `run` and `show`: the two tables in the table output and
/// suggested cuts for a target precision or recall.
struct CalibrationOptions: ParsableArguments {
    @Flag(name: .long, help: "With --format table, add the score calibration: a reliability table (score bins against mean label and share relevant) and a threshold table (cuts 0.1 to 0.9: kept per query, precision, recall). JSON always has them.")
    var calibration = false

    @Option(name: .customLong("target-precision"), help: ArgumentHelp("Suggest a score cut: the lowest (0.01 steps) whose pooled precision reaches this share, e.g. 0.8.", valueName: "share"))
    var targetPrecision: Double?

    @Option(name: .customLong("target-recall"), help: ArgumentHelp("Suggest a score cut: the highest (0.01 steps) whose pooled recall within the pool reaches this share, e.g. 0.9.", valueName: "share"))
    var targetRecall: Double?

    func validate() throws {
        _ = try targets()
    }

    /// The suggested cuts asked for; a target is a share in (0, 1].
    func targets() throws -> [ScoreCalibration.Target] {
        var out: [ScoreCalibration.Target] = []
        let asked: [(String, Double?, (Double) -> ScoreCalibration.Target)] = [("--target-precision", targetPrecision, ScoreCalibration.Target.precision),
                                                                                ("--target-recall", targetRecall, ScoreCalibration.Target.recall)]
        for (flag, value, target) in asked {
            guard let value else { continue }
            guard value > 0, value <= 1 else {
                throw ValidationError("\(flag) takes a share between 0 and 1, e.g. \(flag) 0.8 (got \(value.formatted(decimals: 2)); for a percentage divide by 100)")
            }
            out.append(target(value))
        }
        return out
    }

    /// The table output, with the calibration section these options ask for.
    func table(_ report: RunReport, perQuery: Bool, testLooks: Int?) throws -> String {
        ReportTable.render(report, perQuery: perQuery, testLooks: testLooks, calibration: calibration, targets: try targets())
    }

    /// CSV and TREC have no place for a suggested cut, but a target asked for is always
    /// answered: on standard error.
    func reportCutsOnStandardError(_ report: RunReport) throws {
        let targets = try targets()
        guard !targets.isEmpty else { return }
        let calibration = ScoreCalibration(report)
        for target in targets { printError("cut: \(calibration.suggestionLine(target))") }
    }
}
