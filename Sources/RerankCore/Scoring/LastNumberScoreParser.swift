/// Scores by the last number in the reply, so reasoning before a final answer does not hide it.
public struct LastNumberScoreParser: ScoreParser {
    public var scale: ScoreScale

    public init(scale: ScoreScale = .unit) {
        self.scale = scale
    }

    public func parse(_ reply: ChatReply) -> ParsedScore {
        if let empty = emptyCheck(reply) { return empty }
        guard let last = NumberScanner.scan(reply.text!).last else { return .fallback() }
        return NumberScanner.score(last, scale: scale)
    }
}
