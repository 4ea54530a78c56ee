/// Why a recipe cannot become a run: a code to match on, what is wrong, and what to do about it
/// as `Remedy` values that each front end words in its own terms.
public struct RecipeError: RemedialError, Hashable {
    public enum Code: String, Sendable, Hashable {
        case unknownProvider, missingModel, missingAPIKey, missingEndpoint, badBaseURL
        case routeNotSupported, promptCacheNotSupported, modelFileNotLocal, baseURLNotForLocal, noSuchModelFile
        case missingRecording, replayWithProvider, recordingMismatch, unreadableInput, invalidPrompt, badSplit, invalidSetting
    }

    public var code: Code
    /// What is wrong, with no front end's vocabulary in it.
    public var problem: String
    /// The file the problem is in, when there is one (messages start with it).
    public var file: String?
    public var remedies: [Remedy]

    public init(_ code: Code, _ problem: String, file: String? = nil, remedies: [Remedy] = []) {
        self.code = code
        self.problem = problem
        self.file = file
        self.remedies = remedies
    }

    /// The whole message in a front end's words: "FILE: problem; remedy (or remedy)".
    public func message(_ wording: RemedyWording) -> String {
        wording.sentence(file.map { "\($0): " + problem } ?? problem, remedies)
    }
}
