import Foundation
import RerankKit

/// The hostile inputs of the inert-output tests (issue #21) and the checks every output must pass:
/// no raw control character, no live spreadsheet formula, no live markup.
public enum HostileData {
    /// Terminal escapes, C1 and bidi controls, formulas, Markdown and HTML in ids, queries and
    /// memories (`Tests/Fixtures/hostile.jsonl`).
    public static var datasetPath: String { Fixtures.repoPath("Tests/Fixtures/hostile.jsonl") }
    /// A prompt with raw control bytes, a hostile name and Python/YAML/Markdown/HTML breakers.
    public static var promptPath: String { Fixtures.repoPath("Tests/Fixtures/hostile-prompt.txt") }

    /// Strings that try to act on a terminal, a spreadsheet, a Markdown or HTML viewer, or to
    /// break out of a Python, YAML or JSON literal.
    public static let payloads: [String] = [
        "\u{1B}[2J\u{1B}]0;pwned\u{07}",
        "\u{1B}]52;c;cHduZWQ=\u{07}",
        "\u{9B}31m C1 CSI \u{85}NEL \u{7F}DEL \u{0}NUL",
        "\u{202E}reversed\u{202C} \u{2066}isolated\u{2069} \u{2028}LS\u{2029}PS \u{FEFF}BOM \u{FFFE}\u{FFFF}",
        "=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", "'=quoted", "''@twice",
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)",
        "<a href=\"javascript:alert(2)\">x</a>", "[click](javascript:alert(3))", "&amp; &lt;b&gt; &#x3C;",
        "a | pipe `tick` ```fence``` **bold** _it_ ~~s~~ $x$ # h", "line one\nline two\r\nline three\rover",
        "\"\"\" ''' \\N{BULLET} \\x41 \\u0041 \\ \" ' {0} %s f\"{x}\"", "${HOME} ${OPENAI_API_KEY}",
        "&anchor *alias !!python/object/apply:os.system [\"id\"] ? key : value # comment",
        "---\n...\n- item\n  indented   \n\ttabbed", " leading space", "trailing newline\n", "\nleading newline",
        "\n   \nblank then spaces", "yes", "null", "0x1F", "1e3", "~", "",
    ]

    /// A model reply that tries everything at once, and a model name and server error that do too.
    public static let reply = "\u{1B}]0;pwned\u{07}\u{1B}[2J <script>alert('reply')</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) =1+1 | `t` Score: 0.7"
    public static let modelName = "\u{1B}]0;model\u{07}<script>alert('model')</script>=gpt|`4`\u{202E}"
    public static let serverError = "HTTP 500: \u{1B}[31m<script>alert('error')</script>\u{07}\u{9B}2J"

    public static func dataset() throws -> Dataset { try DatasetLoader().load(path: datasetPath) }
    public static func prompt() throws -> ScoringPrompt { try ScoringPrompt.load(path: promptPath) }

    /// A run over the hostile dataset with the hostile prompt and model name: the lexical
    /// provider's scores, every other reply replaced by `reply`, the last call failed with
    /// `serverError`; the report and the details a report shows (prompt, memories, replies).
    public static func run() async throws -> (report: RunReport, details: ReportDetails, results: [PairResult]) {
        let data = try dataset(), prompt = try prompt()
        let settings = RunSettings(provider: "vllm", model: modelName)
        let plan = try RunPlan(dataset: data, prompt: prompt, settings: settings)
        var lexical = RunSettings()
        lexical.concurrency = 1
        var results = await RerankRunner(provider: LexicalProvider(dataset: data), settings: lexical).run(plan, dataset: data).results
        results.sort { ($0.queryID, $0.candidateID) < ($1.queryID, $1.candidateID) }
        for i in results.indices where i % 2 == 1 { results[i].reply?.text = reply }
        if let last = results.indices.last {
            results[last].reply = nil
            results[last].error = serverError
            results[last].errorKind = "server"
        }
        let report = RunReportBuilder(dataset: data, prompt: prompt, settings: settings).build(results: results, elapsed: 1)
        return (report, ReportDetails(promptText: prompt.text, dataset: data, results: results), results)
    }

    /// Every scalar of `text` that must not reach an output raw: C0 controls (except those in
    /// `allowed`), DEL, C1, bidi embeddings/overrides/isolates and the line/paragraph separators.
    /// Each is described with its position, for a failure message.
    public static func rawControls(in text: String, allowed: Set<Unicode.Scalar> = ["\n"]) -> [String] {
        var found: [String] = []
        for (i, s) in text.unicodeScalars.enumerated() where !allowed.contains(s) {
            let v = s.value
            if v < 0x20 || (0x7F...0x9F).contains(v) || (0x2028...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
                found.append("U+\(String(v, radix: 16, uppercase: true)) at scalar \(i)")
            }
        }
        return found
    }

    /// Raw ESC, BEL and C1 bytes/scalars in `data`, which no terminal output may carry.
    public static func hasRawEscapeBytes(_ data: String) -> Bool {
        data.utf8.contains(0x1B) || data.utf8.contains(0x07) || data.unicodeScalars.contains { (0x80...0x9F).contains($0.value) }
    }
}
