import RerankCore

/// Why the run store could not be used: a code to match on, what is wrong with the file (its
/// path starts every message), and what to do as `Remedy` values each front end words.
public struct StoreError: RemedialError, Hashable {
    public enum Code: String, Sendable, Hashable {
        /// The store's folder could not be created.
        case cannotCreateFolder
        /// An SQLite database, but not a RerankBench store.
        case foreignDatabase
        /// Written by a newer RerankBench (migrations this version does not know).
        case newerSchema
        /// Damaged, or not a database at all.
        case damaged
        /// Not an SQLite file at all.
        case notSQLite
        /// Cannot be opened for writing (permissions, a read-only disk).
        case notWritable
        /// Another process held the lock for too long.
        case locked
        /// The disk is full.
        case diskFull
        /// Any other database error.
        case databaseError
        /// A run reference that is not a number, `last` or `last~N`.
        case invalidRunReference
        /// A run reference to a run that is not stored.
        case noSuchRun
        /// A tune reference to a tune that is not stored (or a stored tune that cannot be read).
        case noSuchTune
        /// A batch reference to a batch that is not stored.
        case noSuchBatch
    }

    public var code: Code
    public var path: String
    /// What is wrong, with no front end's vocabulary in it.
    public var problem: String
    public var remedies: [Remedy]

    public init(_ code: Code, path: String, _ problem: String, remedies: [Remedy] = []) {
        self.code = code
        self.path = path
        self.problem = problem
        self.remedies = remedies
    }

    /// "PATH: problem; remedy".
    public func message(_ wording: RemedyWording) -> String {
        wording.sentence("\(path): \(problem)", remedies)
    }
}
