/// The panes of the main screen, numbered as the number keys reach them.
public enum Focus: Int, Sendable, CaseIterable, Hashable, Codable {
    case prompt = 1, settings, queries, results, metrics

    public var name: String {
        switch self {
        case .prompt: return "Prompt"
        case .settings: return "Settings"
        case .queries: return "Queries"
        case .results: return "Results"
        case .metrics: return "Metrics"
        }
    }
}
