/// The checks a proposed prompt passes before any call is made: the same validation as a
/// hand-written prompt for the mode (placeholders, braces), plus an output instruction the
/// parser reads. System mode's warning about literal `{query}`/`{document}` is an error here:
/// a model that wrote placeholders into a system prompt misunderstood the mode.
public enum CandidateCheck {
    /// Every problem that discards `text`; empty when it may be scored.
    public static func problems(_ text: String, mode: PromptMode, parser: ScoreParserKind) -> [PromptProblem] {
        let prompt = ScoringPrompt(name: "candidate", text: text)
        var problems = prompt.validate(mode: mode).map { p -> PromptProblem in
            var p = p
            p.severity = .error
            return p
        }
        if let missing = OutputInstruction.problem(text, parser: parser) { problems.append(missing) }
        return problems
    }
}
