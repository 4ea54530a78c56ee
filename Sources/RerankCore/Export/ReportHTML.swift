/// A run report as one self-contained HTML page: inline CSS and SVG, no scripts, no network.
/// It shows the metric table (with the pool's ceiling and the captured share of its headroom),
/// pool recall, a per-query delta chart on the primary metric, a histogram of
/// scores by relevance label (a prompt that separates labels shows separate humps) and the
/// score calibration (reliability and threshold tables); with details,
/// the prompt and the worst queries candidate by candidate.
///
/// Every string from data goes through `HTMLText.escape`, and the page carries a
/// Content-Security-Policy that forbids scripts and every load, so even a missed escape could not
/// run code or reach the network.
public enum ReportHTML {
    /// The page needs inline CSS and nothing else: no script, no image, font or frame from anywhere.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

    /// The page's head and title: the policy, the shared style, and the heading (escaped by the caller).
    static func pageStart(heading: String, style: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="\(contentSecurityPolicy)">
        <title>\(heading)</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}
        table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em}
        td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}
        .up{fill:#2a7d3f}.down{fill:#b3261e}.zero{fill:#999}.axis{stroke:#444;stroke-width:1}
        small{color:#666}pre{white-space:pre-wrap;background:#f6f6f6;padding:.6em;border:1px solid #ddd}\(style)
        </style></head><body>
        <h1>\(heading)</h1>

        """
    }

    /// `statistics`: what the front end knows beyond the report (the store's test-look count, a
    /// comparison it made); without it the page states the report's own (see `ExportStatistics`).
    public static func render(_ report: RunReport, title: String? = nil, details: ReportDetails = ReportDetails(),
                              statistics: ExportStatistics? = nil) -> String {
        let s = report.settings
        let primary = s.metrics.primaryMetric
        func cell(_ v: Double?) -> String { v.map { $0.formatted(decimals: 4) } ?? "n/a" }
        let heading = escape(title ?? "RerankBench report: \(report.promptName)")
        var html = pageStart(heading: heading) + """
        <p>Dataset <code>\(escape(report.datasetPath))</code> (\(report.queries.count) queries\(s.split.map { ", \($0.description)" } ?? ""), sha256 <code>\(report.datasetHash.prefix(12))</code>);
        provider <b>\(escape(s.provider))</b>, model <b>\(escape(s.model))</b>\(report.providerIgnoresPrompt ? " (BM25 baseline, not an LLM)" : "");
        prompt <b>\(escape(report.promptName))</b> (mode \(s.mode.rawValue), parser \(s.parser.rawValue)).</p>

        """
        let c = report.counts
        html += "<p>Calls: \(c.planned) planned, \(c.ok) ok, \(c.failed) failed, \(c.cached) from cache, \(c.fallback + c.empty) scored 0.5 by fallback, \(c.notRun) not run. Tokens \(c.usage.promptTokens) + \(c.usage.completionTokens)\(report.cost.map { ", $\($0.formatted(decimals: 4))" } ?? "").</p>\n"
        if let reason = report.stopReason { html += "<p><b>Stopped early:</b> \(escape(reason.description))</p>\n" }
        html += "<p>Judged: \(escape(s.metrics.judgedDescription)). Pool: \(escape(ReportDetails.poolSummary(report))).</p>\n"
        // The pool's ceiling and the captured share of its headroom, as in the table output:
        // ranking metrics only (agreement metrics have no ceiling), absent for runs stored before it.
        let hasCeiling = report.ceilingMean != nil
        html += "<h2>Metrics</h2>\n<table><tr><th>metric</th><th>first-stage</th><th>reranked</th><th>delta</th>"
            + (hasCeiling ? "<th>ceiling</th><th>captured</th>" : "") + "</tr>\n"
        for name in s.metrics.metricNames {
            let b = report.baselineMean[name], r = report.rerankedMean[name]
            let d = (b != nil && r != nil) ? (r! - b!).signed(decimals: 4) : "n/a"
            html += "<tr><td>\(escape(name.heading))</td><td class=n>\(cell(b))</td><td class=n>\(cell(r))</td><td class=n>\(d)</td>"
            if hasCeiling {
                html += name.isAgreement ? "<td></td><td></td>"
                    : "<td class=n>\(cell(report.ceilingMean?[name]))</td><td class=n>\(ReportDetails.share(report.capturedShare(name)))</td>"
            }
            html += "</tr>\n"
        }
        html += "</table>\n"
        html += statisticsSection(statistics ?? ExportStatistics(report: report))
        html += "<h2>\(escape(primary.heading)) change per query</h2>\n" + deltaChart(report, metric: primary)
        html += "<h2>Scores by relevance label</h2>\n" + histogram(report)
        html += calibration(ScoreCalibration(report))
        html += "<h2>Per query</h2>\n<p><small>\(escape(primary.heading)); \(escape(ReportDetails.ceilingLegend)).</small></p>\n"
        html += "<table><tr><th>query</th><th>first-stage</th><th>reranked</th><th>delta</th><th>ceiling</th><th>captured</th><th>pool R</th><th>text</th></tr>\n"
        for q in report.queries {
            let text = (q.nothingToRerank ? "[nothing to rerank] " : "") + q.query
            html += "<tr><td>\(escape(q.queryID))</td><td class=n>\(cell(q.baseline[primary]))</td><td class=n>\(cell(q.reranked[primary]))</td><td class=n>\(q.delta(primary).map { $0.signed(decimals: 4) } ?? "n/a")</td>"
                + "<td class=n>\(cell(q.ceiling?[primary]))</td><td class=n>\(ReportDetails.share(q.capturedShare(primary)))</td><td class=n>\(q.poolRecall.map { $0.formatted(decimals: 2) } ?? "n/a")</td><td>\(escape(text))</td></tr>\n"
        }
        html += "</table>\n"
        if let prompt = details.promptText {
            html += "<h2>Prompt</h2>\n<pre>\(escape(prompt, layout: .lines))</pre>\n"
        }
        let worst = details.worst(report, metric: primary)
        if !worst.isEmpty {
            html += "<h2>The \(worst.count) worst quer\(worst.count == 1 ? "y" : "ies"), candidate by candidate</h2>\n"
            for q in worst {
                html += "<h3>\(escape(q.queryID)): \(escape(q.query)) <small>(\(escape(primary.heading)) \(q.delta(primary).map { $0.signed(decimals: 4) } ?? "n/a"))</small></h3>\n"
                html += "<table><tr><th>rank</th><th>first-stage</th><th>id</th><th>label</th><th>score</th><th>memory</th><th>reply</th></tr>\n"
                for c in ReportDetails.rankedCandidates(q) {
                    html += "<tr><td class=n>\(c.newRank.map(String.init) ?? "-")</td><td class=n>\(c.baselineRank)</td><td>\(escape(c.id))</td><td class=n>\(c.label.map(String.init) ?? "-")</td><td class=n>\(c.score.map { $0.formatted(decimals: 3) } ?? "-")</td><td>\(escape(details.memory(q, c)))</td><td>\(escape(details.reply(q, c)))</td></tr>\n"
                }
                html += "</table>\n"
            }
        }
        html += "<p><small>Made by RerankBench; metrics follow trec_eval's definitions.</small></p>\n</body></html>\n"
        return html
    }

    /// How far the numbers above can be trusted, as the prompt card states it.
    static func statisticsSection(_ st: ExportStatistics) -> String {
        var rows = [("split", st.splitText)]
        if let looks = st.testLooksText { rows.append(("test looks", looks)) }
        rows += [("correction", st.correctionText), ("detectable effect", st.detectableText)]
        if let stability = st.stabilityText { rows.append(("sample stability", stability)) }
        return "<h2>Statistics</h2>\n<table>\n" + rows.map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>\n" }.joined() + "</table>\n"
    }

    /// One bar per query, sorted by delta: green up, red down.
    static func deltaChart(_ report: RunReport, metric: MetricName) -> String {
        let deltas = report.queries.compactMap { q in q.delta(metric).map { (q.queryID, $0) } }.sorted { $0.1 < $1.1 }
        guard !deltas.isEmpty else { return "<p>No query has this metric.</p>\n" }
        let width = 800.0, height = 220.0, mid = height / 2
        let bar = width / Double(deltas.count)
        let scale = (mid - 10) / max(0.05, deltas.map { abs($0.1) }.max() ?? 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"per-query delta\">\n"
        for (i, (id, d)) in deltas.enumerated() {
            let h = max(1, abs(d) * scale)
            let y = d >= 0 ? mid - h : mid
            let cls = d > 1e-12 ? "up" : (d < -1e-12 ? "down" : "zero")
            svg += "<rect class=\"\(cls)\" x=\"\(num(Double(i) * bar))\" y=\"\(num(y))\" width=\"\(num(max(1, bar - 1)))\" height=\"\(num(h))\"><title>\(escape(id)): \(d.signed(decimals: 4))</title></rect>\n"
        }
        svg += "<line class=\"axis\" x1=\"0\" y1=\"\(num(mid))\" x2=\"\(Int(width))\" y2=\"\(num(mid))\"/>\n</svg>\n"
        let up = deltas.filter { $0.1 > 1e-12 }.count, down = deltas.filter { $0.1 < -1e-12 }.count
        return svg + "<p><small>\(up) queries improved, \(down) got worse, \(deltas.count - up - down) unchanged.</small></p>\n"
    }

    /// Score histogram (10 bins over 0..1) with one row of bars per label.
    static func histogram(_ report: RunReport) -> String {
        var byLabel: [Int: [Int]] = [:]
        for q in report.queries {
            for c in q.candidates {
                guard let label = c.label, let score = c.score else { continue }
                let bin = min(9, max(0, Int(score * 10)))
                byLabel[label, default: Array(repeating: 0, count: 10)][bin] += 1
            }
        }
        guard !byLabel.isEmpty else { return "<p>No judged candidate has a score.</p>\n" }
        var html = "<table><tr><th>label</th>" + (0..<10).map { "<th>\(Double($0) / 10)–\(Double($0 + 1) / 10)</th>" }.joined() + "</tr>\n"
        let most = max(1, byLabel.values.flatMap { $0 }.max() ?? 1)
        for label in byLabel.keys.sorted(by: >) {
            html += "<tr><td>\(label)</td>"
            for count in byLabel[label]! {
                let w = Int((Double(count) / Double(most)) * 60)
                html += "<td><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"14\"><rect x=\"0\" y=\"2\" width=\"\(w)\" height=\"10\" fill=\"#3b6ea8\"/></svg> \(count)</td>"
            }
            html += "</tr>\n"
        }
        return html + "</table>\n"
    }

    /// The reliability and threshold tables, next to the histogram they explain.
    static func calibration(_ c: ScoreCalibration) -> String {
        func table(_ rows: [[String]]) -> String {
            guard let header = rows.first else { return "" }
            return "<table><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
                + rows.dropFirst().map { row in "<tr><td>\(escape(row[0]))</td>" + row.dropFirst().map { "<td class=n>\(escape($0))</td>" }.joined() + "</tr>\n" }.joined()
                + "</table>\n"
        }
        return "<h2>Score calibration</h2>\n<p><small>\(escape(c.countedNote)); \(escape(c.relevanceNote)).</small></p>\n" + table(c.reliabilityRows())
            + "<h3>Threshold</h3>\n<p><small>\(escape(c.thresholdNote)).</small></p>\n" + table(c.thresholdRows())
    }

    static func num(_ v: Double) -> String { v.formatted(decimals: 1) }

    static func escape(_ s: String, layout: TerminalText.Layout = .line) -> String {
        HTMLText.escape(s, layout: layout)
    }
}
