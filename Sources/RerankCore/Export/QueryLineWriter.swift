/// Writes one query's JSON Lines record (`--format jsonl`) by hand, byte for byte what
/// `ReportJSON.text` writes for the same document through Foundation's `JSONEncoder` (compact,
/// sorted snake_case keys, non-finite numbers as strings, invisible characters escaped); a test
/// holds the two equal. The encoder took a quarter of a million-pair baseline run.
///
/// Keys are written in sorted (byte) order by hand, so each object below lists its members in
/// that order.
struct QueryLineWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    mutating func write(_ d: ReportJSON.QueryDocument, type: String) {
        open()
        member("baseline"); metrics(d.baseline)
        member("candidates"); array(d.candidates) { $0.candidate($1) }
        if let v = d.captured { member("captured"); metrics(v) }
        if let v = d.ceiling { member("ceiling"); metrics(v) }
        member("delta"); metrics(d.delta)
        member("judged"); bool(d.judged)
        member("nothing_to_rerank"); bool(d.nothingToRerank)
        if let v = d.poolRecall { member("pool_recall"); number(v) }
        member("query"); string(d.query)
        member("query_id"); string(d.queryId)
        if let v = d.relevantInPool { member("relevant_in_pool"); integer(v) }
        if let v = d.relevantOutsidePool { member("relevant_outside_pool"); integer(v) }
        member("reranked"); metrics(d.reranked)
        if let v = d.sampleStability { member("sample_stability"); stability(v) }
        member("tie_ndcg_best"); number(d.tieNdcgBest)
        member("tie_ndcg_worst"); number(d.tieNdcgWorst)
        member("type"); string(type)
        close()
        bytes.append(0x0A)
    }

    /// A candidate's members with their names, commas and braces as one piece each (a million
    /// pairs' records are mostly these): four appends a member, each checking the array's room,
    /// were a quarter of writing the lines.
    private mutating func candidate(_ c: CandidateOutcome) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        raw(#"{"baseline_rank":"#); digits(c.baselineRank)
        if let v = c.error { raw(#","error":"#); text(v) }
        raw(c.failed ? #","failed":true"# : #","failed":false"#)
        if let v = c.firstStageScore { raw(#","first_stage_score":"#); numeral(v) }
        raw(#","id":"#); text(c.id)
        if let v = c.label { raw(#","label":"#); digits(v) }
        if let v = c.newRank { raw(#","new_rank":"#); digits(v) }
        if let v = c.outcome { raw(#","outcome":"#); text(v.rawValue) }
        raw(#","sample_scores":["#)
        for (i, v) in c.sampleScores.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            numeral(v)
        }
        raw("]")
        if let v = c.score { raw(#","score":"#); numeral(v) }
        if let v = c.spread { raw(#","spread":"#); numeral(v) }
        raw(c.truncated ? #","truncated":true}"# : #","truncated":false}"#)
        needsComma = true
    }

    private mutating func stability(_ s: ReportJSON.QueryStabilityDocument) {
        open()
        if let v = s.max { member("max"); number(v) }
        if let v = s.meanKendallTau { member("mean_kendall_tau"); number(v) }
        if let v = s.min { member("min"); number(v) }
        member("sample_metrics"); array(s.sampleMetrics) { $0.metrics($1) }
        if let v = s.sd { member("sd"); number(v) }
        member("tau_pairs"); integer(s.tauPairs)
        close()
    }

    private mutating func metrics(_ m: QueryMetrics) {
        open()
        let members = m.values.map { ($0.key.description, $0.value) }.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        for (name, value) in members {
            key(name)
            number(value)
        }
        close()
    }

    // MARK: Pieces

    /// Whether the next member or element needs a comma before it.
    private var needsComma = false

    private mutating func open() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    private mutating func close() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    private mutating func array<T>(_ items: [T], _ element: (inout Self, T) -> Void) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for item in items { element(&self, item) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A member name written here: plain ASCII that needs no escape, copied as it is.
    private mutating func member(_ k: StaticString) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(0x22)
        k.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(0x22)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A member name from data (a metric's name).
    private mutating func key(_ k: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        JSONText.appendQuoted(k, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    private mutating func value(_ text: some StringProtocol) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(contentsOf: text.utf8)
        needsComma = true
    }

    private mutating func string(_ s: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        text(s)
        needsComma = true
    }

    private mutating func bool(_ b: Bool) { value(b ? "true" : "false") }

    private mutating func integer(_ i: Int) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
        digits(i)
    }

    private mutating func number(_ d: Double) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
        numeral(d)
    }

    // Values alone, with no comma before them (the callers above and `candidate` place those).

    /// Bytes written here: plain ASCII, copied as they are.
    private mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A string value, quoted as `JSONEncoder` with this tool's escapes writes it.
    private mutating func text(_ s: String) {
        // Only text with a byte from DEL up can hold a character `inertQuote` escapes beyond JSON's own.
        if s.utf8.contains(where: { $0 >= 0x7F }) {
            bytes.append(contentsOf: JSONText.inertQuote(s).utf8)
        } else {
            JSONText.appendQuoted(s, to: &bytes)
        }
    }

    /// Digits written straight into the line: `String(i)` made a string per rank and label.
    private mutating func digits(_ i: Int) { Self.appendDigits(i, to: &bytes) }

    private static func appendDigits(_ i: Int, to bytes: inout [UInt8]) {
        if i < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = i.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: buffer[start...])
        }
    }

    /// As `JSONEncoder` writes a Double: its shortest round-tripping text without a trailing
    /// ".0", and the non-finite ones as the strings this tool's encoder is set to.
    private mutating func numeral(_ d: Double) {
        if Self.appendShortDecimal(d, to: &bytes) { return }
        if d.isNaN { return text("nan") }
        if d.isInfinite { return text(d > 0 ? "inf" : "-inf") }
        var text = d.description
        text.withUTF8 { t in
            let whole = t.count >= 2 && t[t.count - 2] == UInt8(ascii: ".") && t[t.count - 1] == UInt8(ascii: "0")
            bytes.append(contentsOf: whole ? UnsafeBufferPointer(rebasing: t[..<(t.count - 2)]) : t)
        }
    }

    /// Writes `d` as `numeral` does when it is a decimal of at most four places between 0.001
    /// and a million (or zero): the scores and labels of a line mostly are (0.85, 0.5, 1), and
    /// `description`'s general shortest-digits search was a sixth of writing the lines. False,
    /// writing nothing, for any other number.
    ///
    /// Why the digits are the same: `m / 10^k` of two exact doubles is correctly rounded, so it
    /// equals `d` exactly when the text "m e-k" reads back as `d`; the first such k gives the
    /// fewest digits that read back, which is what `description` writes; and at these sizes a
    /// double's spacing is far below 10^-4, so no other text of k places reads back as `d`.
    static func appendShortDecimal(_ d: Double, to bytes: inout [UInt8]) -> Bool {
        if d == 0 {
            bytes.append(contentsOf: d.sign == .minus ? [UInt8(ascii: "-"), UInt8(ascii: "0")] : [UInt8(ascii: "0")])
            return true
        }
        let magnitude = d.magnitude
        guard magnitude >= 0.001, magnitude < 1_000_000 else { return false }
        var scale = 1.0, places = 0
        while places <= 4 {
            let scaled = (magnitude * scale).rounded()
            if scaled / scale == magnitude {
                let value = Int(scaled), unit = Int(scale)
                if d < 0 { bytes.append(UInt8(ascii: "-")) }
                appendDigits(value / unit, to: &bytes)
                if places > 0 {
                    bytes.append(UInt8(ascii: "."))
                    var fraction = value % unit, divisor = unit / 10
                    while divisor > 0 {
                        bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
                        fraction %= divisor
                        divisor /= 10
                    }
                }
                return true
            }
            scale *= 10
            places += 1
        }
        return false
    }
}
