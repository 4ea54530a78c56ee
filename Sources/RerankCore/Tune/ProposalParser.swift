import Foundation

/// A proposer's reply, parsed: the critique of the failures, then the rewritten prompt.
public struct Proposal: Sendable, Equatable {
    public var critique: String
    public var prompt: String

    public init(critique: String, prompt: String) {
        self.critique = critique
        self.prompt = prompt
    }
}

/// Reads a proposer's reply in the one format the proposer is asked for, and nothing else:
///
///     <critique>
///     what goes wrong in the failures shown
///     </critique>
///     <prompt>
///     the complete rewritten prompt
///     </prompt>
///
/// Strict on purpose: a reply with text around the sections, a missing or repeated section,
/// or the sections swapped is discarded (and counted), never guessed at, because a guessed
/// prompt might carry the proposer's commentary into every scoring call.
public enum ProposalParser {
    public static let critiqueOpen = "<critique>", critiqueClose = "</critique>"
    public static let promptOpen = "<prompt>", promptClose = "</prompt>"

    /// Why a reply was not a proposal, in words for the lineage.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public static func parse(_ reply: String?) -> Result<Proposal, Problem> {
        guard let reply else { return .failure(Problem(message: "the reply was empty")) }
        let text = reply.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        for tag in [critiqueOpen, critiqueClose, promptOpen, promptClose] {
            let n = text.components(separatedBy: tag).count - 1
            if n != 1 {
                return .failure(Problem(message: n == 0 ? "the reply has no \(tag) tag" : "the reply has \(tag) \(n) times"))
            }
        }
        guard text.hasPrefix(critiqueOpen) else {
            return .failure(Problem(message: "the reply does not start with \(critiqueOpen) (text before it)"))
        }
        guard text.hasSuffix(promptClose) else {
            return .failure(Problem(message: "the reply does not end with \(promptClose) (text after it)"))
        }
        let afterCritiqueOpen = text.range(of: critiqueOpen)!.upperBound
        let critiqueEnd = text.range(of: critiqueClose)!
        let promptStart = text.range(of: promptOpen)!
        let promptEnd = text.range(of: promptClose)!
        guard afterCritiqueOpen <= critiqueEnd.lowerBound, critiqueEnd.upperBound <= promptStart.lowerBound,
              promptStart.upperBound <= promptEnd.lowerBound else {
            return .failure(Problem(message: "the sections are out of order (critique first, then prompt)"))
        }
        let between = text[critiqueEnd.upperBound..<promptStart.lowerBound]
        guard between.allSatisfy(\.isWhitespace) else {
            return .failure(Problem(message: "the reply has text between </critique> and <prompt>"))
        }
        let critique = String(text[afterCritiqueOpen..<critiqueEnd.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
        let prompt = String(text[promptStart.upperBound..<promptEnd.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !critique.isEmpty else { return .failure(Problem(message: "the critique is empty")) }
        guard !prompt.isEmpty else { return .failure(Problem(message: "the prompt is empty")) }
        return .success(Proposal(critique: critique, prompt: prompt))
    }
}
