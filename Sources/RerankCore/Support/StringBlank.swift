import Foundation

extension StringProtocol {
    /// True when the text is empty or only white space and newlines (Foundation's
    /// `whitespacesAndNewlines`). A text that starts with a visible ASCII character is answered
    /// without Foundation: `trimmingCharacters` bridges to NSString and was 40% of loading a
    /// million-candidate dataset.
    public var isBlank: Bool {
        if let first = utf8.first, first > 0x20, first < 0x7F { return false }
        return trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
}
