/// Why a dataset file read in the background could not be loaded, worded for the workbench.
struct DatasetLoadFailure: Error, Sendable {
    var message: String
}
