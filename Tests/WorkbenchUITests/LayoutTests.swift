import Foundation
import RerankKit
import Testing
@testable import WorkbenchUI

/// Layout (issue 20, item 20): nothing a reader needs is cut.
@Suite struct LayoutTests {
    @Test(arguments: [60, 80, 120])
    func helpKeepsEveryColumnAtEverySize(width: Int) {
        // The overlay is 8 columns narrower than the screen; its text 4 narrower than that.
        let columns = width - 12
        let lines = ModalView.helpText(width: columns).map(\.0)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= columns && !$0.contains("…") })
        let text = lines.joined(separator: "\n")
        let flat = lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        for entry in Keymap.standard.helpLines {
            #expect(text.contains(entry.keys), "\(entry.keys)")
            #expect(flat.contains(entry.title), "\(entry.title) at \(width)")
            #expect(text.lowercased().contains(entry.scope.lowercased()), "\(entry.scope) at \(width)")
        }
    }

    @Test func flagsAreNeverCutAndTheMemoryGetsTheRest() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        // The first query's best candidate failed: scored at the fallback, flagged.
        let q = try #require(s.selectedQuery)
        let first = try #require(q.candidates.first)
        s.results = s.results.map { r in
            guard r.queryID == q.queryID, r.candidateID == first.id else { return r }
            return PairResult(queryID: r.queryID, candidateID: r.candidateID, sampleIndex: 0, reply: nil, error: "HTTP 500", attempts: 3)
        }
        s.settings.failurePolicy = .mem0
        WorkbenchReducer.rebuildReport(&s)
        s.focus = .results
        let screen = WorkbenchView.render(s).text
        #expect(screen.contains("fail→0.5"), "\(screen)")
        #expect(!screen.contains("fail→0…"))
        // At 120 columns the memory column is more than 20 columns wide.
        let row = try #require(screen.split(separator: "\n").first { $0.contains("Loves Italian food") })
        let memory = row.split(separator: "┃").last.map(String.init) ?? ""
        let start = try #require(memory.range(of: "Loves Italian food"))
        #expect(memory.distance(from: start.lowerBound, to: memory.endIndex) > 22, "\(memory)")
    }

    @Test(arguments: [20, 24, 30, 40, 60])
    func theHistogramMeanIsNeverCut(width: Int) {
        for labels in [[3, 2, 1, 0], [10, 0], [0, -1]] {
            for n in [1, 12, 1234] {
                let rows = MetricsPane.histogramRows(labels.map { ($0, ScoresByLabel([ScoreCalibration.Pair]((0..<n).map { _ in .init(queryID: "q", score: 0.4567, label: 0) })).rows[0]!) }, width: width)
                #expect(rows.count == labels.count)
                for row in rows {
                    let all = row.label + row.spark + row.tail
                    #expect(DisplayWidth.of(all) <= width, "\(all)")
                    #expect(row.tail.contains("0.46"), "labels \(labels), n=\(n), width \(width): \(all)")
                }
                #expect(Set(rows.map { DisplayWidth.of($0.spark) }).count == 1, "one form for every row")
            }
        }
        let wide = MetricsPane.histogramRows([(2, ScoresByLabel([ScoreCalibration.Pair(queryID: "q", score: 0.5, label: 2)]).rows[2]!)], width: 40)
        #expect(wide.first?.tail == " mean 0.50 n=1", "the words come back when there is room")
    }
}
