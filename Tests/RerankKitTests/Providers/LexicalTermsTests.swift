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
