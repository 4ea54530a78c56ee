import Foundation

/// Changes the key fact of a memory while keeping its words: the numbers when it has any, else
/// the first word with an opposite in `opposites`, else the whole statement negated.
enum NearDuplicate {
    static let opposites: [String: String] = [
        "loves": "hates", "hates": "loves", "likes": "dislikes", "dislikes": "likes", "love": "hate", "hate": "love",
        "always": "never", "never": "always", "avoids": "enjoys", "enjoys": "avoids", "avoid": "enjoy", "enjoy": "avoid",
        "prefers": "refuses", "allergic": "immune", "before": "after", "after": "before", "morning": "evening",
        "evening": "morning", "can": "cannot", "cannot": "can", "yes": "no", "no": "yes", "left": "right", "right": "left",
        "north": "south", "south": "north", "older": "younger", "younger": "older", "bigger": "smaller", "smaller": "bigger",
        "enabled": "disabled", "disabled": "enabled", "true": "false", "false": "true", "up": "down", "down": "up",
        "increase": "decrease", "decrease": "increase", "increased": "decreased", "decreased": "increased",
        "works": "fails", "fails": "works", "first": "last", "last": "first", "is": "is not", "was": "was not",
    ]

    static func changed(_ text: String, _ rng: inout SeededRandom) -> String {
        if let numbers = changedNumbers(text, &rng) { return numbers }
        if let swapped = swappedWord(text) { return swapped }
        return "It is not true that " + lowercasedFirst(text)
    }

    /// Every run of digits replaced by a different number of the same length (a year moves by a
    /// few years), nil when the text has no digit.
    static func changedNumbers(_ text: String, _ rng: inout SeededRandom) -> String? {
        guard text.contains(where: \.isASCIIDigitChar) else { return nil }
        var out = ""
        var digits = ""
        func flush() {
            guard !digits.isEmpty else { return }
            let value = Int(digits) ?? 0
            var changed: Int
            if digits.count == 4 {
                changed = value + 1 + rng.next(below: 5)
            } else {
                let limit = Int(pow(10, Double(min(digits.count, 9))))
                changed = (value + 1 + rng.next(below: max(1, limit - 1))) % limit
                if changed == value { changed = (value + 1) % limit }
            }
            var s = String(changed)
            if s.count < digits.count { s = String(repeating: "0", count: digits.count - s.count) + s }
            out += s
            digits = ""
        }
        for c in text {
            if c.isASCIIDigitChar { digits.append(c) } else { flush(); out.append(c) }
        }
        flush()
        return out
    }

    /// The first word with an opposite replaced by it (keeping a leading capital).
    static func swappedWord(_ text: String) -> String? {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for (i, word) in words.enumerated() {
            let core = word.trimmingCharacters(in: .punctuationCharacters)
            guard let opposite = opposites[core.lowercased()], let range = word.range(of: core) else { continue }
            let replacement = core.first?.isUppercase == true ? opposite.prefix(1).uppercased() + opposite.dropFirst() : opposite
            words[i] = word.replacingCharacters(in: range, with: replacement)
            return words.joined(separator: " ")
        }
        return nil
    }

    static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}

private extension Character {
    var isASCIIDigitChar: Bool { isASCII && isNumber }
}
