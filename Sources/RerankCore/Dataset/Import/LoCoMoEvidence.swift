/// Reads LoCoMo's evidence strings into dialog ids.
///
/// Most are one id (`"D1:3"`), but locomo10.json also holds several ids in one string
/// (`"D8:6; D9:17"`, `"D9:1 D4:4 D4:6"`, `"D26:14, D26:34"`), zero-padded turns (`"D30:05"`),
/// a stray colon (`"D:11:26"`) and ids that name nothing (`"D"`). Dropping every odd string would
/// lose real labels, and guessing silently would hide the repair, so each token is either read
/// exactly, read leniently (and reported), or refused (and reported).
enum LoCoMoEvidence {
    enum Token: Equatable {
        /// `D<session>:<turn>` as written.
        case exact(String)
        /// Readable only after a repair: the id it was read as.
        case lenient(written: String, readAs: String)
        /// No dialog id in it.
        case unreadable(String)
    }

    static func tokens(_ evidence: String) -> [Token] {
        let parts = evidence.split(whereSeparator: { $0 == ";" || $0 == "," || $0.isWhitespace }).map(String.init)
        return parts.map(read)
    }

    static func read(_ token: String) -> Token {
        guard token.first == "D" || token.first == "d" else { return .unreadable(token) }
        // The digit groups after the D: exactly two (session and turn) make an id.
        let groups = token.dropFirst().split(whereSeparator: { !$0.isASCII || !$0.isNumber }).map(String.init)
        guard groups.count == 2, let session = Int(groups[0]), let turn = Int(groups[1]) else { return .unreadable(token) }
        let canonical = "D\(session):\(turn)"
        return canonical == token ? .exact(token) : .lenient(written: token, readAs: canonical)
    }
}
