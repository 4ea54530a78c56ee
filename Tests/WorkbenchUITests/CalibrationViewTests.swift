import Foundation
import RerankKit
import RerankTestSupport
import Testing
@testable import WorkbenchUI

/// The calibration view (issue 15, part 6): reached by C and the palette, listed in help and the
/// metrics pane's bar, drawn whole at 80x24 and 120x40, and showing the core's numbers.
@Suite struct CalibrationViewTests {
    let directory = (#filePath as NSString).deletingLastPathComponent

    func press(_ state: inout WorkbenchState, _ keys: Key...) {
        for k in keys { _ = WorkbenchReducer.reduce(&state, .key(k)) }
    }

    @Test(arguments: ScreenSnapshotTests.sizes) func snapshots(width: Int, height: Int) async throws {
        var state = try await WorkbenchFixtures.ranState(width: width, height: height)
        state.focus = .metrics
        press(&state, .char("C"))
        Snapshot.check(WorkbenchView.render(state).text, named: "calibration-\(width)x\(height)", directory: directory)
        // At 80x24 the rest of the view is below the tables; at 120x40 it all fits, and a
        // scroll past the end leaves it as it is.
        let whole = WorkbenchView.render(state).text
        press(&state, .pageDown)
        if height < 40 {
            Snapshot.check(WorkbenchView.render(state).text, named: "calibration-scrolled-\(width)x\(height)", directory: directory)
        } else {
            #expect(WorkbenchView.render(state).text == whole)
        }
    }

    /// Every row of both tables is on screen whole, side by side, at both sizes: nothing cut,
    /// and the numbers are the core's.
    @Test(arguments: ScreenSnapshotTests.sizes) func tablesAreWholeAndAreTheCoresNumbers(width: Int, height: Int) async throws {
        var state = try await WorkbenchFixtures.ranState(width: width, height: height)
        press(&state, .char("C"))
        let screen = WorkbenchView.render(state).text
        let calibration = ScoreCalibration(try #require(state.report))
        let reliability = CalibrationView.table(calibration.reliabilityRows(short: true), widths: CalibrationView.reliabilityWidths)
        let threshold = CalibrationView.table(calibration.thresholdRows(short: true), widths: CalibrationView.thresholdWidths)
        #expect(reliability.count == 11 && threshold.count == 10)
        for (i, row) in threshold.enumerated() {
            // Side by side: each threshold row shares its line with the reliability row.
            let line = DisplayWidth.pad(reliability[i].text, CalibrationView.reliabilityWidths.reduce(0, +) + CalibrationView.gap) + row.text
            #expect(screen.contains(line.trimmingCharacters(in: .whitespaces)), "\(width)x\(height): \(line)")
        }
        #expect(screen.contains(reliability[10].text.trimmingCharacters(in: .whitespaces)))
        // The first numbers a reader needs: the counted pairs.
        #expect(screen.contains("\(calibration.pairs.count) scored, judged pairs over \(calibration.queryCount) queries"))
        if height >= 40 {
            for target in CalibrationView.targets {
                #expect(screen.replacingOccurrences(of: "\n", with: " ").contains(String(calibration.suggestionLine(target).prefix(30))), "\(target)")
            }
        }
    }

    @Test func openedByCFromEveryPaneButTheEditorAndClosedByCOrEsc() async throws {
        var state = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        for pane in [Focus.settings, .queries, .results, .metrics] {
            state.focus = pane
            press(&state, .char("C"))
            #expect(state.modals == [.calibration(scroll: 0)], "\(pane)")
            press(&state, .down, .down)
            #expect(state.modals == [.calibration(scroll: 2)])
            press(&state, pane == .metrics ? .char("C") : .escape)
            #expect(state.modals.isEmpty, "\(pane)")
        }
        // In the editor C is a letter of the prompt.
        state.focus = .prompt
        press(&state, .char("C"))
        #expect(state.modals.isEmpty)
        #expect(state.editor.text.hasPrefix("C"))
    }

    @Test func beforeARunItSaysToRunFirst() throws {
        var state = try WorkbenchFixtures.state(width: 120, height: 40)
        press(&state, .char("C"))
        #expect(state.modals.isEmpty)
        #expect(state.statusIsError)
        #expect(state.status.contains("run first"))
    }

    @Test func paletteHelpAndTheMetricsBarListIt() async throws {
        #expect(WorkbenchReducer.paletteMatches("calibration") == [.calibration])
        #expect(Keymap.standard.helpLines.contains { $0.keys == "C" && $0.title == Command.calibration.title && $0.scope == "outside the editor" })
        var state = try await WorkbenchFixtures.ranState(width: 80, height: 24)
        state.focus = .metrics
        let bar = WorkbenchView.render(state).text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(bar.contains("C calibration"), "\(bar)")
        // From the palette, as from the key.
        state.modals = [.palette(query: "calibration", selection: 0)]
        press(&state, .enter)
        #expect(state.modals == [.calibration(scroll: 0)])
    }
}
