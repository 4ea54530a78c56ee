import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// A date as the store writes it: GRDB's own text form, "yyyy-MM-dd HH:mm:ss.SSS" in UTC, made
/// without a DateFormatter. Why: GRDB formats dates with one, and its first use sets up ICU's
/// calendar and time zones, 2-3 ms of every run's start for its two or three timestamps
/// (BENCHMARKS.md, "The start of a run"). The text is the same to the byte (StoreDateTests holds
/// it to GRDB's on random dates), so old stores and GRDB's reading of dates are unchanged.
enum StoreDate {
    /// Seconds since 1970 of 0001-01-01 and of 10000-01-01: outside these GRDB's formatter writes
    /// eras and five-digit years, so those dates are left to it.
    private static let first: Double = -62_135_596_800
    private static let end: Double = 253_402_300_800

    static func text(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        // As Foundation's formatter on Linux: half a millisecond added (CFDateFormatter), then
        // ICU's calendar counts whole milliseconds down; 0.9996 s shows as 1.000.
        let millis = (seconds * 1000 + 0.5).rounded(.down)
        guard seconds >= first, seconds < end, millis.isFinite else { return String.fromDatabaseValue(date.databaseValue) ?? "" }
        let total = Int64(millis)
        let whole = total >= 0 ? total / 1000 : (total - 999) / 1000
        let fraction = Int(total - whole * 1000)
        var time = time_t(whole)
        var parts = tm()
        // Before 1582 ICU's calendar is Julian and gmtime's proleptic Gregorian; leave those to GRDB.
        guard gmtime_r(&time, &parts) != nil, parts.tm_year + 1900 >= 1600 else {
            return String.fromDatabaseValue(date.databaseValue) ?? ""
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(23)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2)
        bytes.append(UInt8(ascii: " "))
        digits(Int(parts.tm_hour), 2)
        bytes.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2)
        bytes.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        bytes.append(UInt8(ascii: "."))
        digits(fraction, 3)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` as the value bound to a statement.
    static func value(_ date: Date) -> DatabaseValue { text(date).databaseValue }

    /// For records' `databaseDateEncodingStrategy`.
    static let encoding = DatabaseDateEncodingStrategy.custom { text($0) }
}
