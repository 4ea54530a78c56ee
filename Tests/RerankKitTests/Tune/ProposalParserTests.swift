import RerankKit
import Testing

@Suite struct ProposalParserTests {
    @Test func readsACritiqueThenAPrompt() throws {
        let reply = "\n<critique>\nToo vague about dates.\n</critique>\n\n<prompt>\nScore it.\nRespond with a score between 0 and 1.\n</prompt>\n"
        let proposal = try ProposalParser.parse(reply).get()
        #expect(proposal.critique == "Too vague about dates.")
        #expect(proposal.prompt == "Score it.\nRespond with a score between 0 and 1.")
    }

    @Test(arguments: [
        ("Here is a better prompt: rate it 0-1", "no <critique> tag"),
        ("Sure!\n<critique>x</critique><prompt>y</prompt>", "does not start with <critique>"),
        ("<critique>x</critique><prompt>y</prompt>\nHope this helps", "does not end with </prompt>"),
        ("<critique>x</critique> and so <prompt>y</prompt>", "text between"),
        ("<critique>x</critique><prompt>y</prompt><prompt>z</prompt>", "<prompt> 2 times"),
        ("<prompt>y</prompt><critique>x</critique>", "does not start with <critique>"),
        ("<critique>  </critique><prompt>y</prompt>", "the critique is empty"),
        ("<critique>x</critique><prompt>\n</prompt>", "the prompt is empty"),
        ("```\n<critique>x</critique><prompt>y</prompt>\n```", "does not start with <critique>"),
    ])
    func rejectsAnythingElse(reply: String, reason: String) {
        guard case let .failure(problem) = ProposalParser.parse(reply) else {
            Issue.record("accepted \(reply)")
            return
        }
        #expect(problem.message.contains(reason), "\(problem.message)")
    }

    @Test func rejectsAnEmptyReply() {
        guard case .failure = ProposalParser.parse(nil) else { Issue.record("accepted nil"); return }
    }

    @Test func candidatesPassTheHandWrittenValidationAndNeedAnOutputInstruction() {
        #expect(CandidateCheck.problems(BuiltinPrompts.mem0System, mode: .system, parser: .mem0).isEmpty)
        #expect(CandidateCheck.problems(BuiltinPrompts.mem0DocumentedTemplate, mode: .template, parser: .mem0).isEmpty)
        // Template mode: a missing placeholder and a stray brace are what a hand-written prompt fails on too.
        let noDocument = CandidateCheck.problems("Query: {query}\nGive a score from 0 to 1.", mode: .template, parser: .mem0)
        #expect(noDocument.contains { $0.message.contains("{document}") })
        let stray = CandidateCheck.problems("Query: {query} Doc: {document} {x\nGive a score from 0 to 1.", mode: .template, parser: .mem0)
        #expect(stray.contains { $0.message.contains("unbalanced") })
        // System mode: placeholders mean the proposer misunderstood the mode.
        #expect(!CandidateCheck.problems("Query {query}. Give a score from 0 to 1.", mode: .system, parser: .mem0).isEmpty)
        // No instruction the parser reads.
        #expect(CandidateCheck.problems("Judge the memory carefully.", mode: .system, parser: .mem0).first?.message.contains("output instruction") == true)
        #expect(!CandidateCheck.problems("Give a score from 0 to 1.", mode: .system, parser: .labeled).isEmpty)
        #expect(CandidateCheck.problems("End with a line 'Score: X' from 0 to 1.", mode: .system, parser: .labeled).isEmpty)
        #expect(!CandidateCheck.problems("Give a score from 0 to 1.", mode: .system, parser: .json).isEmpty)
        #expect(CandidateCheck.problems("Answer as JSON: {\"score\": x}.", mode: .system, parser: .json).isEmpty)
    }
}
