import Foundation
import Testing
@testable import RerankCore
import RerankTestSupport

/// `--format jsonl` writes query lines by hand; they must be byte for byte what Foundation's
/// encoder writes for the same document (the JSON format still goes through it).
@Suite struct QueryLineWriterTests {
    static func reference(_ q: QueryReport, _ settings: RunSettings) -> String {
        ReportJSON.text(ReportJSON.Tagged(type: "query", body: ReportJSON.queryDocument(q, settings: settings)), pretty: false)
    }

    static let awkwardDoubles: [Double] = [0, -0.0, 1, -1, 0.5, 0.1, 1.0 / 3, 2.0 / 3, 1e-7, 1.5e-5, 123456789.125, 1e15, 1e16, 1e21,
                                           -2.5e-10, .ulpOfOne, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .nan, .infinity, -.infinity]
    static let names: [MetricName] = [.ndcgAt(10), .ndcgAt(5), .ndcg, .map, .mrr, .precisionAt(10), .precisionAt(5), .recallAt(100),
                                      .kendallTau, .spearman, .pearson]

    static func metrics<G: RandomNumberGenerator>(_ g: inout G) -> QueryMetrics {
        var v: [MetricName: Double] = [:]
        for name in names where Bool.random(using: &g) {
            v[name] = Bool.random(using: &g) ? awkwardDoubles.randomElement(using: &g)! : Double.random(in: -1...1, using: &g)
        }
        return QueryMetrics(values: v)
    }

    static func double<G: RandomNumberGenerator>(_ g: inout G) -> Double {
        Int.random(in: 0...2, using: &g) == 0 ? awkwardDoubles.randomElement(using: &g)! : Double.random(in: 0...1, using: &g)
    }

    static func text<G: RandomNumberGenerator>(_ g: inout G) -> String {
        let pool = HostileData.payloads + ["plain", "", "quote \" and \\ backslash / slash", "tab\tnew\nline\r\u{01}\u{1F}",
                                           "café ☕️ 日本語 👩‍👩‍👧", "\u{7F}\u{85}\u{9B}\u{2028}\u{202E}\u{2066}\u{FEFF}\u{FFFE}"]
        return pool.randomElement(using: &g)!
    }

    static func report<G: RandomNumberGenerator>(_ g: inout G) -> QueryReport {
        let candidates = (0..<Int.random(in: 0...6, using: &g)).map { i in
            CandidateOutcome(id: Bool.random(using: &g) ? "m\(i)" : text(&g), label: Bool.random(using: &g) ? Int.random(in: -1...3, using: &g) : nil,
                             baselineRank: i + 1, newRank: Bool.random(using: &g) ? Int.random(in: 1...6, using: &g) : nil,
                             score: Bool.random(using: &g) ? double(&g) : nil, spread: Bool.random(using: &g) ? double(&g) : nil,
                             sampleScores: (0..<Int.random(in: 0...3, using: &g)).map { _ in double(&g) },
                             firstStageScore: Bool.random(using: &g) ? double(&g) : nil,
                             outcome: Bool.random(using: &g) ? ParseOutcome.allCases.randomElement(using: &g)! : nil,
                             truncated: Bool.random(using: &g), failed: Bool.random(using: &g),
                             error: Bool.random(using: &g) ? text(&g) : nil)
        }
        let stability = Bool.random(using: &g)
            ? QuerySampleStability(meanTau: Bool.random(using: &g) ? double(&g) : nil, tauPairs: Int.random(in: 0...3, using: &g),
                                   sampleMetrics: (0..<Int.random(in: 0...3, using: &g)).map { _ in metrics(&g) })
            : nil
        return QueryReport(queryID: text(&g), query: text(&g), baseline: metrics(&g), reranked: metrics(&g), candidates: candidates,
                           primaryBestTies: double(&g), primaryWorstTies: double(&g), judged: Bool.random(using: &g),
                           ceiling: Bool.random(using: &g) ? metrics(&g) : nil,
                           relevantInPool: Bool.random(using: &g) ? Int.random(in: 0...5, using: &g) : nil,
                           relevantOutsidePool: Bool.random(using: &g) ? Int.random(in: 0...5, using: &g) : nil,
                           sampleStability: stability)
    }

    /// Short decimals are written from their digits (`appendShortDecimal`); every number must
    /// come out as `description` less its ".0" (what JSONEncoder writes), and the shortcut must
    /// take the short ones.
    @Test func shortDecimalsAreWrittenAsTheEncoderWritesThem() {
        func reference(_ d: Double) -> String {
            let text = d.description
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        }
        var g = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 0.85, 0.1, 0.2, 0.1 + 0.2, 0.3, 0.001, 0.000_999_9, 0.0015, 999_999.999_9,
                                1_000_000, 999_999.5, 12.345_6, 12.345_65, 0.123_45, 1.0 / 3, 100, 4_096, 0.007, -0.25, 0.9999, 0.99995]
        for _ in 0..<20_000 {
            let places = Int.random(in: 0...6, using: &g)
            var p = 1.0
            for _ in 0..<places { p *= 10 }
            let whole = Double(Int.random(in: -2_000_000...2_000_000, using: &g))
            values.append(whole / p)  // a decimal of `places` places, as a reply or a file gives it
            values.append(Double.random(in: -2...2, using: &g))
            values.append(whole / p + Double.random(in: -1e-9...1e-9, using: &g))
        }
        var taken = 0, wrong: [String] = []
        for d in values {
            var bytes: [UInt8] = []
            guard QueryLineWriter.appendShortDecimal(d, to: &bytes) else {
                #expect(bytes.isEmpty)
                continue
            }
            taken += 1
            let written = String(decoding: bytes, as: UTF8.self)
            if written != reference(d) { wrong.append("\(written) for \(reference(d))") }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        // Decimals of up to four places between 0.001 and a million take the shortcut: about
        // five sevenths of the first kind, plus the listed ones.
        #expect(taken > 12_000, "\(taken)")
        for d in [0.85, 0.5, 1, -0.25, 0.001, 999_999.999_9] {
            var bytes: [UInt8] = []
            #expect(QueryLineWriter.appendShortDecimal(d, to: &bytes), "\(d)")
        }
        for d in [1.0 / 3, 0.000_999_9, 1_000_000, 0.123_45, 0.1 + 0.2] {
            var bytes: [UInt8] = []
            #expect(!QueryLineWriter.appendShortDecimal(d, to: &bytes), "\(d)")
        }
    }

    @Test func handWrittenLinesEqualTheEncodersOnRandomReports() {
        var g = SystemRandomNumberGenerator()
        let settings = RunSettings(provider: "openai", model: "gpt-test")
        for _ in 0..<500 {
            let q = Self.report(&g)
            let line = ReportJSON.queryLine(q, settings: settings)
            let expected = Self.reference(q, settings)
            #expect(line == expected)
            if line != expected { break }
        }
    }

    @Test func linesOfARealRunEqualTheEncoders() async throws {
        let run = try await HostileData.run()
        #expect(!run.report.queries.isEmpty)
        for q in run.report.queries {
            #expect(ReportJSON.queryLine(q, settings: run.report.settings) == Self.reference(q, run.report.settings))
        }
    }
}
