import RerankTestSupport
import Testing
@testable import RerankCore

/// The byte-wise ASCII tokenizer must split exactly as the Character-wise one it speeds up.
@Suite struct LexicalTermsTests {
    @Test func asciiTermsEqualUnicodeTermsOnAsciiText() {
        var generator = SystemRandomNumberGenerator()
        // Letters, digits, apostrophes, punctuation, white space, CR/LF and controls.
        let alphabet = Array("abcXYZ019' .,;:-_!?\"\t\r\n\u{01}()[]{}/\\@#".utf8)
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...40, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(LexicalProvider.asciiTerms(text) == LexicalProvider.unicodeTerms(text), "\(Array(text.utf8))")
        }
        let words = "The user's allergies: Peanuts, SHELLFISH and 2 cats -- don't forget it's 10am\r\nplanning flights"
        #expect(LexicalProvider.asciiTerms(words) == LexicalProvider.unicodeTerms(words))
        #expect(LexicalProvider.terms(words).contains("allerg"))
    }

    @Test func nonAsciiTextTakesTheUnicodePath() {
        #expect(LexicalProvider.asciiTerms("café au lait") == nil)
        #expect(LexicalProvider.terms("Café Übung") == ["café", "übung"])
    }
}

/// Scores from the provider's term index (texts of its dataset) must be the scores of tokenizing
/// each call's texts, to the bit; texts from elsewhere take the tokenizing path.
@Suite struct LexicalIndexTests {
    @Test func indexedAnswersEqualTokenizedAnswers() throws {
        var generator = SystemRandomNumberGenerator()
        let words = ["Peanut", "allergies", "allergic", "flights", "planning", "the", "cats", "Café", "übung", "10am", "don't",
                     "shellfish", "dinner", "Tuesday", "meeting", "it's", "a", "budget", "trip", "Paris"]
        func text() -> String {
            (0..<Int.random(in: 0...12, using: &generator)).map { _ in words.randomElement(using: &generator)! }.joined(separator: " ")
        }
        // Repeated memory texts (a memory shared by queries) and queries sharing their text.
        let shared = (0..<5).map { _ in text() }
        let queries = (0..<40).map { q in
            Query(id: "q\(q)", text: q % 7 == 0 ? "the planning" : text(),
                  candidates: (0..<Int.random(in: 1...12, using: &generator)).map { c in
                      Candidate(id: "q\(q)-c\(c)", text: c % 4 == 0 ? shared.randomElement(using: &generator)! : text(), relevance: c % 3)
                  })
        }
        let dataset = Dataset(path: "random.jsonl", queries: queries)
        let provider = LexicalProvider(dataset: dataset)
        for query in queries {
            for candidate in query.candidates + [Candidate(id: "outside", text: "planning flights to Paris")] {
                let request = ChatRequest(model: LexicalProvider.modelName, messages: [], query: query.text, document: candidate.text)
                let indexed = try provider.answer(request)
                let q = LexicalProvider.terms(query.text), d = LexicalProvider.terms(candidate.text)
                let score = provider.bm25(queryTerms: q, length: d.count) { t in d.filter { $0 == t }.count }
                #expect(indexed.text == (score / (score + 5)).formatted(decimals: 4))
                #expect(indexed.usage.promptTokens == q.count + d.count)
            }
        }
        // The raw score of a dataset text through the string path is the one the index sums.
        let first = queries[1]
        #expect(provider.bm25(query: first.text, document: first.candidates[0].text)
                == provider.bm25(queryTerms: LexicalProvider.terms(first.text), length: LexicalProvider.terms(first.candidates[0].text).count) { t in
                    LexicalProvider.terms(first.candidates[0].text).filter { $0 == t }.count })
    }

    @Test func aPlanCallFoundByItsPositionAnswersAsByItsTexts() throws {
        let dataset = Fixtures.dataset(queries: 6, candidates: 8)
        let provider = LexicalProvider(dataset: dataset)
        let plan = try RunPlan(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt,
                               settings: RunSettings(provider: "lexical", model: LexicalProvider.modelName))
        let tasks = plan.tasks(queries: dataset.queries.indices)
        #expect(tasks.count == dataset.queries.reduce(0) { $0 + $1.candidates.count })
        var changed = 0
        for task in tasks {
            #expect(try provider.answer(task) == provider.answer(task.request))
            // A probe's call: the pair's position, another memory text. Scored as that text.
            var rewritten = task
            rewritten.request.document = task.request.document + " planning flights to Paris"
            #expect(try provider.answer(rewritten) == provider.answer(rewritten.request))
            if try provider.answer(rewritten) != provider.answer(task) { changed += 1 }
            // A position past the dataset's: found by its texts.
            var elsewhere = task
            elsewhere.queryIndex += dataset.queries.count
            #expect(try provider.answer(elsewhere) == provider.answer(task.request))
        }
        // The rewrites did change scores, so the position was not trusted for them.
        #expect(changed > tasks.count / 4)
    }
}
