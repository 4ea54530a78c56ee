import Foundation
import Testing
import RerankKit
@testable import RerankCore

/// Request bodies are written by hand (`JSONText.appendQuoted`, `JSONValue.serializedBytes`) for
/// speed; these check they stay exactly JSON.
@Suite struct JSONTextTests {
    @Test func quotingEscapesWhatJSONRequiresAndNothingElse() {
        #expect(JSONText.quote("plain text") == #""plain text""#)
        #expect(JSONText.quote("say \"hi\"\\now") == #""say \"hi\"\\now""#)
        #expect(JSONText.quote("a\nb\rc\td\u{08}e\u{0C}f") == #""a\nb\rc\td\be\ff""#)
        #expect(JSONText.quote("\u{00}\u{01}\u{1F}") == #""\u0000\u0001\u001f""#)
        #expect(JSONText.quote("") == #""""#)
        // Non-ASCII and `/` pass through as UTF-8.
        #expect(JSONText.quote("café 🙂 a/b") == "\"café 🙂 a/b\"")
        #expect(JSONText.quote("\"") == #""\"""#)
        #expect(JSONText.quote("\n") == #""\n""#)
    }

    @Test func randomStringsRoundTripThroughOurParserAndFoundations() throws {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", "Z", " ", "\"", "\\", "\n", "\t", "\u{00}", "\u{1F}", "\u{7F}", "é", "日本", "🙂", "/", "{", "}"]
        for _ in 0..<500 {
            let length = Int.random(in: 0...24, using: &generator)
            let s = (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let quoted = JSONText.quote(s)
            #expect(try JSONParser.parse(quoted) == .string(s), "ours: \(quoted)")
            let foundation = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
            #expect(foundation == [s], "Foundation: \(quoted)")
        }
    }

    /// The eight-bytes-at-a-time skip against a byte at a time: every byte value in every lane,
    /// random words biased to the bytes near the edges, and each escape at every offset.
    @Test func theWordSkipFindsEveryByteThatNeedsAnEscape() {
        func needs(_ b: UInt8) -> Bool { b < 0x20 || b == 0x22 || b == 0x5C }
        func laneByLane(_ w: UInt64) -> Bool { (0..<8).contains { needs(UInt8(truncatingIfNeeded: w >> (8 * UInt64($0)))) } }
        for lane in 0..<8 {
            for b in 0...255 {
                var w: UInt64 = 0x6161_6161_6161_6161
                w &= ~(0xFF << (8 * UInt64(lane)))
                w |= UInt64(b) << (8 * UInt64(lane))
                #expect(JSONText.mayNeedEscape(w) == needs(UInt8(b)), "byte \(b) in lane \(lane)")
            }
        }
        var generator = SystemRandomNumberGenerator()
        let edgy: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF]
        for _ in 0..<50_000 {
            var w: UInt64 = 0
            for lane in 0..<8 {
                let b = Bool.random(using: &generator) ? edgy.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
                w |= UInt64(b) << (8 * UInt64(lane))
            }
            #expect(JSONText.mayNeedEscape(w) == laneByLane(w), "word \(String(w, radix: 16))")
        }
        let plain = String(repeating: "plain prompt text ", count: 3)
        for special in ["\"", "\\", "\n", "\u{01}", "\u{1F}", "é"] {
            for offset in 0...plain.utf8.count {
                let s = String(plain.prefix(offset)) + special + String(plain.dropFirst(offset))
                var reference: [UInt8] = [0x22]
                for b in s.utf8 {
                    if needs(b) { reference += Array(JSONText.quote(String(UnicodeScalar(b))).utf8.dropFirst().dropLast()) } else { reference.append(b) }
                }
                reference.append(0x22)
                #expect(Array(JSONText.quote(s).utf8) == reference, "\(s)")
            }
        }
    }

    @Test func serializedBytesAreTheSerializedText() throws {
        let value = JSONValue.object([
            ("model", .string("gpt-4o-mini")),
            ("messages", .array([.object([("role", .string("user")), ("content", .string("Query: \"x\"\nDocument: y"))])])),
            ("max_tokens", .number(8, literal: "8")),
            ("temperature", .number(0, literal: "0.0")),
            ("logprobs", .bool(true)),
            ("stop", .null),
        ])
        let text = value.serialized()
        #expect(text == #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Query: \"x\"\nDocument: y"}],"max_tokens":8,"temperature":0.0,"logprobs":true,"stop":null}"#)
        #expect(value.serializedBytes() == Array(text.utf8))
        #expect(try JSONParser.parse(value.serializedBytes()) == value)
    }

    /// Short integers are read without `Double(String)`; the value must be its value to the bit.
    @Test func integerNumbersParseAsDoubleOfTheirText() throws {
        var literals = ["0", "-0", "1", "-1", "7", "10", "123456789", "999999999999999", "-999999999999999",
                        "1000000000000000", "-1000000000000000", "9007199254740993", "123456789012345678901234567890",
                        "0.5", "-0.0", "1e3", "1E-2", "12.50"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let digits = Int.random(in: 1...18, using: &generator)
            var text = String(Int.random(in: 1...9, using: &generator))
            for _ in 1..<digits { text += String(Int.random(in: 0...9, using: &generator)) }
            literals.append(Bool.random(using: &generator) ? "-" + text : text)
        }
        for literal in literals {
            let parsed = try JSONParser.parse("[\(literal)]")
            guard case let .array(items) = parsed, case let .number(value, text) = items.first else {
                Issue.record("\(literal) did not parse as a number")
                continue
            }
            #expect(text == literal)
            #expect(value.bitPattern == Double(literal)!.bitPattern, "\(literal)")
        }
    }
}
