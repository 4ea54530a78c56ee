import RerankKit
import Testing

@Suite struct ScoreParserTests {
    func parse(_ kind: ScoreParserKind, _ text: String?, scale: ScoreScale = .unit, finish: String = "stop") -> ParsedScore {
        kind.makeParser(scale: scale).parse(ChatReply(text: text, finishReason: finish))
    }

    @Test func lastNumberReadsTheFinalAnswer() {
        let reply = "Rubric: 0.8-0.9 highly relevant. The memory is off topic. Final: 0.15."
        #expect(parse(.lastNumber, reply).value == 0.15)
        #expect(parse(.lastNumber, reply).outcome == .parsed)
    }

    @Test func lastNumberUnderstandsFractionsPercentAndOutOf() {
        #expect(parse(.lastNumber, "8/10").value == 0.8)
        #expect(parse(.lastNumber, "Relevance: 85%").value == 0.85)
        #expect(parse(.lastNumber, "I'd give it 7 out of 10").value == 0.7)
        #expect(parse(.lastNumber, ".5").value == 0.5)
        #expect(parse(.lastNumber, "Score: 0.9 out of 1.0").value == 0.9)
    }

    @Test func scalesMapToUnitRange() {
        #expect(parse(.lastNumber, "7", scale: .ten).value == 0.7)
        #expect(parse(.lastNumber, "85", scale: .hundred).value == 0.85)
        let clamped = parse(.lastNumber, "7")
        #expect(clamped.value == 1.0)
        #expect(clamped.outcome == .clamped)
        #expect(clamped.rawNumber == 7)
    }

    @Test func digitsInsideWordsAreNotNumbers() {
        #expect(parse(.lastNumber, "as gpt-4o I say 0.3").value == 0.3)
        #expect(parse(.lastNumber, "0.6 for H2O").value == 0.6)
    }

    /// The ASCII shortcuts (letters beside a number, "out of" and "score" in any case, a reply
    /// that starts visibly) read as the Unicode-wide reading did.
    @Test func wordsAndLettersAroundNumbersReadTheSameInAnyCaseAndScript() {
        #expect(parse(.lastNumber, "I'd give it 7 OUT OF 10").value == 0.7)
        #expect(parse(.lastNumber, "7 Out Of 10").value == 0.7)
        #expect(parse(.lastNumber, "7 out 10").value == 1.0, "no denominator without the whole words")
        #expect(parse(.lastNumber, "0.4 then café5").value == 0.4, "a non-ASCII letter before digits makes a word")
        #expect(parse(.lastNumber, "0.4 then 5é").value == 0.4, "a non-ASCII letter after digits makes a word")
        #expect(parse(.lastNumber, "0.4 then Ω5").value == 0.4)
        #expect(parse(.lastNumber, "0.4 then _5").value == 0.4)
        #expect(parse(.lastNumber, "0.4 then 5…").value == 1.0, "punctuation is not a letter")
        #expect(parse(.labeled, "SCORE: 0.35").value == 0.35)
        #expect(parse(.labeled, "ſcore: 0.35").outcome == .fallback, "the long s is not an s")
        #expect(parse(.lastNumber, " \n 0.25").value == 0.25, "a reply that starts blank is read on")
        #expect(parse(.lastNumber, "\u{2003}").outcome == .empty)
    }

    @Test func labeledTakesTheLastLabel() {
        #expect(parse(.labeled, "Score: 0.2\nOn reflection... Final Score: 0.7").value == 0.7)
        #expect(parse(.labeled, "**Score:** 7/10").value == 0.7)
        #expect(parse(.labeled, "relevance score = 0.45").value == 0.45)
        #expect(parse(.labeled, "just 0.9").outcome == .fallback)
        #expect(parse(.labeled, "Final score: 8", scale: .ten).value == 0.8)
    }

    @Test func jsonFindsScoreObjects() {
        #expect(parse(.json, "```json\n{\"score\": 0.8, \"reason\": \"has {braces}\"}\n```").value == 0.8)
        #expect(parse(.json, "{\"relevance_score\": \"7/10\"}").value == 0.7)
        #expect(parse(.json, "{\"score\": 9}", scale: .ten).value == 0.9)
        #expect(parse(.json, "no json here 0.4").outcome == .fallback)
        #expect(parse(.json, "{\"other\": 1}").outcome == .fallback)
    }

    @Test func emptyRepliesAreFlaggedByEveryParser() {
        for kind in ScoreParserKind.allCases {
            let p = parse(kind, "   ")
            #expect(p.outcome == .empty, "\(kind)")
            #expect(p.value == 0.5)
        }
    }

    @Test func truncationIsVisibleOnTheReply() {
        let reply = ChatReply(text: "Let me think step by step about", finishReason: "length")
        #expect(reply.wasTruncated)
        #expect(LastNumberScoreParser().parse(reply).outcome == .fallback)
    }

    @Test func logprobYesNo() {
        let lp = [TokenLogprob(token: "Yes", logprob: -0.2, top: [.init(token: "Yes", logprob: -0.2231435513), .init(token: "No", logprob: -1.6094379124)])]
        let parsed = LogprobScoreParser().parse(ChatReply(text: "Yes", logprobs: lp))
        #expect(abs(parsed.value - 0.8 / (0.8 + 0.2)) < 1e-9)
    }

    @Test func logprobExpectedDigit() {
        // p(8) = 0.5, p(6) = 0.5 on a 0-10 scale -> 0.7.
        let lp = [TokenLogprob(token: "8", logprob: -0.693, top: [.init(token: "8", logprob: -0.6931471806), .init(token: "6", logprob: -0.6931471806)])]
        let parsed = LogprobScoreParser(scale: .ten).parse(ChatReply(text: "8", logprobs: lp))
        #expect(abs(parsed.value - 0.7) < 1e-9)
    }

    @Test func logprobWithoutLogprobsFallsBack() {
        #expect(LogprobScoreParser().parse(ChatReply(text: "0.9")).outcome == .fallback)
    }
}
