import Foundation
import RerankKit

/// How the command line shows a tune: its lineage as a tree, and one line per step as it runs.
enum TuneTree {
    static func render(_ tune: StoredTune) -> String {
        let setup = tune.setup, l = tune.lineage
        let metric = setup.runSettings.metrics.primaryMetric
        var out: [String] = []
        out.append("tune \(tune.id): \(tune.datasetPath), scorer \(setup.runSettings.provider) \(setup.runSettings.model), proposer \(setup.proposerProvider) \(setup.proposerModel), \(metric) on the dev split")
        let proposals = l.candidates.count - 1
        var status = l.finished ? "finished" : (l.stopReason == nil ? "running (or killed)" : "stopped")
        if let reason = l.stopReason { status += " (\(reason))" }
        let cost = l.cost > 0 ? ", $\(l.cost.formatted(decimals: 4))" : ""
        out.append("\(status); \(l.roundsCompleted) round\(l.roundsCompleted == 1 ? "" : "s"), \(l.calls) calls (\(l.proposerCalls) to the proposer)\(cost); \(l.discarded) of \(proposals) proposal\(proposals == 1 ? "" : "s") discarded")
        out.append("")
        func walk(_ c: TuneCandidate, prefix: String, last: Bool, root: Bool) {
            let branch = root ? "" : (last ? "└── " : "├── ")
            out.append(prefix + branch + line(c, metric: metric, best: l.best))
            let childPrefix = root ? "" : prefix + (last ? "    " : "│   ")
            let kids = l.children(of: c.number)
            if !c.critique.isEmpty {
                out.append(childPrefix + (kids.isEmpty ? "    " : "│   ") + "critique: " + firstLine(c.critique, limit: 100))
            }
            for (i, k) in kids.enumerated() { walk(k, prefix: childPrefix, last: i == kids.count - 1, root: false) }
        }
        walk(l.start, prefix: "", last: true, root: true)
        out.append("")
        if let c = l.confirmation {
            out.append("test split (looked at once): \(c.summary)")
            out.append("  \(c.comparison.powerStatement)")
        } else if l.finished {
            out.append("no prompt beat the start prompt on dev, so the test split was not used")
        } else {
            out.append("not confirmed yet: the test split is used once, when the search ends")
        }
        if l.improved {
            let file = (setup.outputDirectory as NSString).appendingPathComponent(PromptCard.fileName(setup.outputName))
            out.append("best: #\(l.best)\(l.finished ? ", written to \(file)" : "")")
        }
        return out.joined(separator: "\n")
    }

    static func line(_ c: TuneCandidate, metric: MetricName, best: Int) -> String {
        var parts = ["#\(c.number)"]
        if c.status == .start {
            parts.append("start")
        } else {
            parts.append("round \(c.round)")
            parts.append(c.status.rawValue)
        }
        if let dev = c.devMean {
            var s = "dev \(metric) \(dev.formatted(decimals: 3))"
            if let d = c.devDelta, let p = c.devP { s += " (\(d.signed(decimals: 3)), \(pText(p)))" }
            parts.append(s)
        } else if let m = c.minibatchMean, let n = c.minibatchQueries {
            parts.append("\(metric) \(m.formatted(decimals: 3)) on \(n) dev queries")
        }
        if c.status != .start { parts.append("\(c.calls) call\(c.calls == 1 ? "" : "s")") }
        if let note = c.note, c.status == .discarded || c.status == .rejected { parts.append("— " + firstLine(note, limit: 120)) }
        if c.number == best, c.status != .start { parts.append("[best]") }
        return parts.joined(separator: "  ")
    }

    static func pText(_ p: Double) -> String { p < 0.001 ? "p<0.001" : "p=\(p.formatted(decimals: 3))" }

    static func firstLine(_ s: String, limit: Int) -> String {
        let line = s.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        return line.count > limit ? String(line.prefix(limit - 1)) + "…" : line
    }

    /// One stderr line per step worth telling, nil for the rest.
    static func progress(_ event: TuneEvent, metric: MetricName) -> String? {
        switch event {
        case let .roundStarted(round, parent):
            return "round \(round): editing #\(parent)"
        case let .evaluating(candidate, queries, split, calls):
            return calls == 0 ? nil : "  scoring #\(candidate) on \(queries) \(split.rawValue) queries (\(calls) calls)"
        case let .candidate(c):
            switch c.status {
            case .discarded: return "  #\(c.number) discarded: \(c.note ?? "")"
            case .eliminated: return "  #\(c.number) \(c.note ?? "eliminated")"
            case .rejected: return "  #\(c.number) rejected: \(c.note ?? "")"
            case .accepted: return "  #\(c.number) accepted: dev \(metric) \((c.devMean ?? 0).formatted(decimals: 3)) (\((c.devDelta ?? 0).signed(decimals: 3)), \(pText(c.devP ?? 1)))"
            case .proposed where c.minibatchMean == nil: return "  #\(c.number) proposed"
            default: return nil
            }
        case .spent: return nil
        case let .confirmed(c): return "test split: \(c.summary)"
        case .ended: return nil
        }
    }
}
