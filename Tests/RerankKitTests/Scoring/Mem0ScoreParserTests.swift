import RerankKit
@testable import RerankCore
import Testing

@Suite struct Mem0ScoreParserTests {
    /// Every row of the observed-behaviour table in shared/spec/mem0-reranker.md.
    @Test(arguments: [
        ("0.85", 0.85, ParseOutcome.parsed),
        ("Score: 0.9 out of 1.0", 0.9, .parsed),
        ("8/10", 1.0, .clamped),
        ("7", 1.0, .clamped),
        ("Relevance: 85%", 1.0, .clamped),
        ("2.0", 1.0, .clamped),
        ("-0.2", 0.0, .clamped),
        (".5", 1.0, .clamped),
        ("1e-3", 1.0, .parsed),
        ("**0.75**", 0.75, .parsed),
        ("0.3.", 0.3, .parsed),
        ("Confidence 100%. Relevance: 0.1", 0.1, .parsed),
        ("oops no number", 0.5, .fallback),
        ("", 0.5, .empty),
    ])
    func specTable(reply: String, expected: Double, outcome: ParseOutcome) {
        let parsed = Mem0ScoreParser().parse(ChatReply(text: reply))
        #expect(parsed.value == expected)
        #expect(parsed.outcome == outcome)
    }

    @Test func nullContentIsNeutral() {
        let parsed = Mem0ScoreParser().parse(ChatReply(text: nil))
        #expect(parsed.value == 0.5)
        #expect(parsed.outcome == .empty)
    }

    @Test func firstDecimalWinsOverLaterOnesAndEarlierIntegers() {
        // Reasoning that echoes the rubric is scored by the first decimal: the trap mem0 users hit.
        let reply = "The rubric says 0.8-0.9 for highly relevant. This one is weak, so 0.2"
        #expect(Mem0ScoreParser().parse(ChatReply(text: reply)).value == 0.8)
        #expect(Mem0ScoreParser().parse(ChatReply(text: "step 1: 3 facts. final 0.40")).value == 0.4)
    }

    @Test func unicodeDigitsMatchLikePythonsBackslashD() {
        // Python's \d and float() accept Arabic-Indic digits.
        #expect(Mem0ScoreParser().parse(ChatReply(text: "\u{0660}.\u{0667}")).value == 0.7)
    }

    @Test func negativeDecimalAndSignHandling() {
        #expect(Mem0ScoreParser().parse(ChatReply(text: "--0.5")).value == 0.0)
        #expect(Mem0ScoreParser().parse(ChatReply(text: "a-b 0.6")).value == 0.6)
        #expect(Mem0ScoreParser().parse(ChatReply(text: "-0.0")).value == 0.0)
    }

    @Test func whitespaceOnlyIsFallbackNotNumber() {
        #expect(Mem0ScoreParser().parse(ChatReply(text: "  \n")).value == 0.5)
    }
}

/// The byte-wise reading of ASCII replies must give what the general path gives, to the bit.
@Suite struct Mem0FastPathTests {
    @Test func shortDecimalsReadAsDoubleReadsThem() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let whole = Int.random(in: 1...8, using: &generator), fraction = Int.random(in: 0...9, using: &generator)
            var literal = Bool.random(using: &generator) ? "-" : ""
            for _ in 0..<whole { literal.append(String(Int.random(in: 0...9, using: &generator))) }
            if fraction > 0 {
                literal += "."
                for _ in 0..<fraction { literal.append(String(Int.random(in: 0...9, using: &generator))) }
            }
            let bytes = Array(literal.utf8)
            let fast = bytes.withUnsafeBufferPointer { Mem0ScoreParser.shortDecimal($0) }
            if whole + fraction <= 15 {
                #expect(fast?.bitPattern == Double(literal)?.bitPattern, "\(literal)")
            } else {
                #expect(fast == nil, "\(literal)")
            }
        }
    }

    @Test func asciiRepliesParseAsTheGeneralPathParsesThem() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789.-- ab:%/\n*".utf8)
        for _ in 0..<20_000 {
            let text = String(decoding: (0..<Int.random(in: 1...24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! },
                              as: UTF8.self)
            let scalars = Array(text.unicodeScalars)
            let general = (Mem0ScoreParser.firstDecimal(scalars) ?? Mem0ScoreParser.firstInteger(scalars)).flatMap { Double($0) }
            #expect(Mem0ScoreParser.asciiNumber(text)?.bitPattern == general?.bitPattern, "\(Array(text.utf8))")
        }
    }
}
