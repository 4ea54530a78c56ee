import Foundation

/// JSON coding for stored values. Logprobs can be -infinity, so non-finite numbers are spelled out.
package enum StoreCoding {
    package static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    package static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    /// `using` lets a loop share one encoder (making one per value costs more than encoding a reply).
    package static func string<T: Encodable>(_ value: T, using encoder: JSONEncoder = encoder) -> String {
        (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
