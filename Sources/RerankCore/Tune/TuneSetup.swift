/// What a tune was asked to do, stored with it so `--resume` rebuilds the same tune: the search
/// settings, the scorer's run settings, the start prompt, the proposer and where the winner goes.
/// No key: a resume takes it from the environment or the command line again.
public struct TuneSetup: Sendable, Codable, Equatable {
    public var settings: TuneSettings
    public var runSettings: RunSettings
    public var startName: String
    public var startText: String
    public var startPath: String?
    public var startExtraFrontMatter: [String: String]
    public var proposerProvider: String
    public var proposerModel: String
    /// The proposer's base URL when one was given (a different provider than the scorer's).
    public var proposerBaseURL: String?
    /// The winning prompt's name and the folder its files go in.
    public var outputName: String
    public var outputDirectory: String

    public init(settings: TuneSettings, runSettings: RunSettings, start: ScoringPrompt, proposerProvider: String, proposerModel: String,
                proposerBaseURL: String?, outputName: String, outputDirectory: String) {
        self.settings = settings
        self.runSettings = runSettings
        startName = start.name
        startText = start.text
        startPath = start.path
        startExtraFrontMatter = start.extraFrontMatter
        self.proposerProvider = proposerProvider
        self.proposerModel = proposerModel
        self.proposerBaseURL = proposerBaseURL
        self.outputName = outputName
        self.outputDirectory = outputDirectory
    }

    /// The start prompt, with the mode, parser and scale the run uses.
    public var start: ScoringPrompt {
        ScoringPrompt(name: startName, mode: runSettings.mode, parser: runSettings.parser, scale: runSettings.scale, text: startText,
                      path: startPath, extraFrontMatter: startExtraFrontMatter)
    }
}
