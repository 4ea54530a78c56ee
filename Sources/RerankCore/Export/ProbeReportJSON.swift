/// Probe reports as one JSON document: each probe in full (attacks, every query's injected
/// memories with rank and score), and the robustness ranking when there are several.
public enum ProbeReportJSON {
    struct Document: Encodable {
        var probes: [ProbeReport]
        var ranking: [RankingRow]
    }

    struct RankingRow: Encodable {
        var rank: Int
        var prompt: String
        var provider: String
        var model: String
        var mode: PromptMode
        var cleanNdcg: Double?
        var meanSuccessRate: Double?
        var worstAttack: ProbeAttack?
        var meanNdcgLoss: Double?
        var runId: Int64?
    }

    public static func encode(_ reports: [ProbeReport]) -> String {
        let ranking = ProbeRanking.ranked(reports).enumerated().map { i, r in
            RankingRow(rank: i + 1, prompt: r.promptName, provider: r.provider, model: r.model, mode: r.mode, cleanNdcg: r.cleanNDCG,
                       meanSuccessRate: r.meanSuccessRate, worstAttack: r.worstAttack?.attack, meanNdcgLoss: ProbeRanking.meanLoss(r), runId: r.runID)
        }
        // Injected memories carry chat-template tokens and quotes on purpose; they are escaped
        // as in every JSON this tool writes.
        return ReportJSON.text(Document(probes: reports, ranking: ranking))
    }
}
