import Foundation
import GRDB
@testable import RerankStore
import Testing

/// The store writes dates without GRDB's DateFormatter (`StoreDate`); the text must stay GRDB's
/// to the byte, or old and new rows of one store would sort and compare differently.
@Suite struct StoreDateTests {
    /// GRDB's own text for a date.
    func grdb(_ date: Date) -> String { String.fromDatabaseValue(date.databaseValue)! }

    @Test func randomDatesWriteAsGRDBWrites() {
        var generator = SystemRandomNumberGenerator()
        var dates: [Date] = []
        for _ in 0..<3000 {
            // 1600-2400, whole and fractional seconds, and times a hair either side of a whole
            // millisecond and of a half (Foundation rounds to the nearest millisecond).
            let seconds = Double.random(in: -11_676_096_000...13_569_465_600, using: &generator)
            dates.append(Date(timeIntervalSince1970: seconds))
            dates.append(Date(timeIntervalSince1970: seconds.rounded(.down)))
            dates.append(Date(timeIntervalSince1970: (seconds * 1000).rounded(.down) / 1000 + 0.000_999_9))
            dates.append(Date(timeIntervalSince1970: (seconds * 1000).rounded(.down) / 1000 - 0.000_000_1))
            dates.append(Date(timeIntervalSince1970: (seconds * 1000).rounded(.down) / 1000 + 0.000_499_9))
            dates.append(Date(timeIntervalSince1970: (seconds * 1000).rounded(.down) / 1000 + 0.000_500_1))
        }
        let mismatches = dates.filter { StoreDate.text($0) != grdb($0) }
        let shown = mismatches.prefix(3).map { "\($0.timeIntervalSince1970): \(StoreDate.text($0)) vs GRDB \(grdb($0))" }
        #expect(mismatches.count == 0, "\(shown)")
    }

    @Test func edgesOfDaysYearsAndTheRangeWriteAsGRDBWrites() {
        let edges: [Double] = [0, -0.0005, -0.001, -1, 0.999_9, 0.000_5, 0.001_5, 0.002_5, 59.999, 86_399.999_9, 951_782_400, 951_868_799.5,  // 2000-02-29
                               4_107_542_399.999, 4_107_542_400,  // 2100-01-01, not a leap year's end
                               -11_676_096_000, -11_676_096_000.5, -12_219_292_800,  // 1600; Gregorian reform (left to GRDB)
                               -62_135_596_800, -62_135_596_800.001, 253_402_300_799.999, 253_402_300_800]
        for seconds in edges {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(StoreDate.text(date) == grdb(date), "\(seconds)")
        }
    }

    /// A run's dates go through the record's strategy: the stored text reads back as GRDB reads it.
    @Test func aRunsDatesReadBackAsWritten() throws {
        let dbQueue = try DatabaseQueue()
        try dbQueue.write { db in
            try db.execute(sql: "CREATE TABLE t (d TEXT)")
            let date = Date(timeIntervalSince1970: 1_796_000_000.123_456)
            try db.execute(sql: "INSERT INTO t (d) VALUES (?)", arguments: [StoreDate.value(date)])
            let back = try Date.fetchOne(db, sql: "SELECT d FROM t")!
            #expect(abs(back.timeIntervalSince1970 - 1_796_000_000.123) < 0.000_5)
            #expect(try String.fetchOne(db, sql: "SELECT d FROM t") == grdb(date))
        }
    }
}
