import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// `run --calibration`, `--target-precision` and `--target-recall` (issue 15, part 6), offline
/// with the lexical provider. The numbers themselves are checked by hand in
/// `ScoreCalibrationTests`; here the table, the JSON and the wording must agree.
@Suite struct CalibrationCommandTests {
    let root = Fixtures.repositoryRoot
    let dataset = "Datasets/personal-memories.jsonl"

    func eval(_ args: [String]) async throws -> CommandResult {
        try await CommandRunner.run("rerank-eval", args, in: root)
    }

    @Test func tableShowsBothTablesAndTheSuggestedCuts() async throws {
        let r = try await eval(["run", "--dataset", dataset, "--quiet", "--calibration", "--target-precision", "0.8", "--target-recall", "0.9"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("calibration  ") && $0.contains("with the model's own score and a label") && $0.contains("relevant = label >= 1") })
        #expect(lines.contains { $0.hasPrefix("score") && $0.contains("mean label") && $0.hasSuffix("share relevant") })
        for bin in ["0.0–0.1", "0.1–0.2", "0.5–0.6", "0.9–1.0"] {
            #expect(lines.filter { $0.hasPrefix(bin) }.count == 1, "\(bin)")
        }
        #expect(lines.contains { $0.hasPrefix("threshold  ") && $0.contains("recall against the pool") && $0.contains("micro") })
        #expect(lines.contains { $0.contains("keep score >=") && $0.contains("kept per query") })
        let precisionLine = try #require(lines.first { $0.hasPrefix("cut       precision >= 0.80: ") })
        #expect(lines.contains { $0.hasPrefix("cut       recall >= 0.90: keep score >= ") })
        #expect(lines.contains { $0.contains("the lowest cut (0.01 steps) whose precision reaches the target") })

        // The JSON of the same run suggests the same cut.
        let json = try await eval(["run", "--dataset", dataset, "--quiet", "--format", "json", "--target-precision", "0.8"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let calibration = try #require(doc["calibration"] as? [String: Any])
        let suggestion = try #require((calibration["suggested_cuts"] as? [[String: Any]])?.first)
        if let cut = (suggestion["cut"] as? [String: Any])?["cut"] as? Double {
            #expect(precisionLine.contains("keep score >= \(cut.formatted(decimals: 2)) ("), "\(precisionLine)")
        } else {
            #expect(precisionLine.hasSuffix("no cut reaches it"))
        }
        // Every bin's pairs add up to the pairs counted.
        let bins = try #require(calibration["bins"] as? [[String: Any]])
        #expect(bins.count == 10)
        #expect(bins.compactMap { $0["pairs"] as? Int }.reduce(0, +) == calibration["pairs"] as? Int)
        #expect((calibration["cuts"] as? [Any])?.count == 9)
    }

    @Test func theDefaultTableStaysCompact() async throws {
        let r = try await eval(["run", "--dataset", dataset, "--quiet"])
        #expect(r.status == 0)
        #expect(!r.stdout.contains("calibration  "))
        #expect(!r.stdout.contains("cut       "))
    }

    @Test func aTargetAloneAddsOnlyItsCut() async throws {
        let r = try await eval(["run", "--dataset", dataset, "--quiet", "--target-recall", "0.9"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("cut       recall >= 0.90: "))
        #expect(r.stdout.contains("over ") && r.stdout.contains("recall against the pool"))
        #expect(!r.stdout.contains("calibration  "))
    }

    @Test func csvAnswersTheTargetOnStandardError() async throws {
        let r = try await eval(["run", "--dataset", dataset, "--quiet", "--format", "csv", "--target-precision", "0.5"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("cut: precision >= 0.50: "))
        #expect(!r.stdout.contains("cut:"))
    }

    @Test func showPrintsAStoredRunsCalibrationAsRunDid() async throws {
        let store = Fixtures.temporaryDirectory() + "/store.sqlite"
        let run = try await eval(["run", "--dataset", dataset, "--store", store, "--quiet", "--calibration", "--target-recall", "0.9"])
        #expect(run.status == 0, "\(run.stderr)")
        let show = try await eval(["show", "last", "--store", store, "--calibration", "--target-recall", "0.9"])
        #expect(show.status == 0, "\(show.stderr)")
        // The same section, from the stored replies.
        let section = { (text: String) in text.components(separatedBy: "\ncalibration  ").dropFirst().first ?? "" }
        #expect(!section(run.stdout).isEmpty)
        #expect(section(show.stdout) == section(run.stdout))
        let refused = try await eval(["show", "last", "--store", store, "--target-precision", "1.5"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--target-precision takes a share between 0 and 1"))
    }

    @Test(arguments: [("--target-precision", "80"), ("--target-recall", "0"), ("--target-recall", "1.5")])
    func aTargetOutsideZeroToOneIsRefused(flag: String, value: String) async throws {
        let r = try await eval(["run", "--dataset", dataset, flag, value])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(flag) takes a share between 0 and 1, e.g. \(flag) 0.8"), "\(r.stderr)")
    }
}
