/// A query or document id that a TREC run or qrels line cannot carry. TREC files separate their
/// fields by white space, so an id containing a space, tab or line break would shift every later
/// field (trec_eval would read the wrong document, rank and score); a control character would
/// reach the terminal of whoever reads the file. Such a file is refused, never written wrong.
public struct TRECIDError: RemedialError, Equatable {
    public var queryID: String
    /// The document at fault, nil when the query id is.
    public var documentID: String?

    public init(queryID: String, documentID: String? = nil) {
        self.queryID = queryID
        self.documentID = documentID
    }

    /// Whether `id` can be one field of a TREC line: not empty, no white space, nothing a
    /// terminal would act on.
    public static func isValid(_ id: String) -> Bool {
        !id.isEmpty && !id.contains(where: \.isWhitespace) && TerminalText.isInert(id)
    }

    /// What to do: rename the id, or export in a format that carries any id.
    public var remedies: [Remedy] { [.other("rename the id in the dataset"), .use(.format, value: "json or csv")] }

    public func message(_ wording: RemedyWording) -> String {
        let place = documentID.map { "query \(TerminalText.quoted(queryID)), document \(TerminalText.quoted($0))" }
            ?? "query \(TerminalText.quoted(queryID))"
        return wording.sentence("\(place): the id is empty or contains white space or a control character, which a TREC file cannot carry "
            + "(its fields are separated by white space)", remedies)
    }
}
