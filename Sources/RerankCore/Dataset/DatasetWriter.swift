import Foundation

/// Writes queries in the dataset format, one JSON object per line, keys in a fixed order; strings
/// are written inert (no raw control or bidi character), which reads back as the same text.
public enum DatasetWriter {
    public static func line(_ q: Query) -> String {
        var s = "{\"query_id\":\(JSONText.inertQuote(q.id)),\"query\":\(JSONText.inertQuote(q.text))"
        if let u = q.userID { s += ",\"user_id\":\(JSONText.inertQuote(u))" }
        s += ",\"candidates\":["
        for (i, c) in q.candidates.enumerated() {
            if i > 0 { s += "," }
            s += "{\"id\":\(JSONText.inertQuote(c.id)),\"text\":\(JSONText.inertQuote(c.text))"
            if let r = c.relevance { s += ",\"relevance\":\(r)" }
            if let sc = c.firstStageScore { s += ",\"score\":\(JSONText.number(sc))" }
            s += "}"
        }
        s += "]"
        if !q.judgments.isEmpty {
            s += ",\"judgments\":{" + q.judgments.keys.sorted().map { "\(JSONText.quote($0)):\(q.judgments[$0]!)" }.joined(separator: ",") + "}"
        }
        if let split = q.split { s += ",\"split\":\"\(split.rawValue)\"" }
        return s + "}"
    }

    public static func text(_ queries: [Query]) -> String {
        queries.map(line).joined(separator: "\n") + "\n"
    }

    /// Writes atomically (a temporary file renamed into place), so a failed import leaves no half file.
    public static func write(_ queries: [Query], to path: String) throws(InputError) {
        do {
            try Data(text(queries).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw InputError(file: path, message: "cannot write: \(error.localizedDescription)")
        }
    }
}
