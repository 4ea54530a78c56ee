import RerankCore

/// Label edits made in the workbench and not yet saved to the dataset file: each edited
/// memory's label as the file has it, the undo and redo steps, and the file version (content
/// hash) the edits were made on, which a save checks before writing.
public struct LabelEdits: Sendable, Equatable {
    /// The file's label of every memory edited since the last save.
    public var original: [LabelKey: Int?] = [:]
    /// The label each edited memory has now.
    public var current: [LabelKey: Int?] = [:]
    public var undoSteps: [LabelChange] = []
    public var redoSteps: [LabelChange] = []
    /// The hash of the file the edits apply to (the one loaded).
    public var baseHash: String?

    public init(baseHash: String? = nil) {
        self.baseHash = baseHash
    }

    /// The memories whose label differs from the file's, with the label they should get.
    public var unsaved: [LabelKey: Int?] {
        current.filter { key, label in original[key].map { $0 != label } ?? true }
    }

    public var isDirty: Bool { !unsaved.isEmpty }

    /// The unsaved edits as changes from the file's label, in id order (what the session keeps).
    public var unsavedChanges: [LabelChange] {
        unsaved.keys.sorted().map { LabelChange(key: $0, old: original[$0] ?? nil, new: unsaved[$0] ?? nil) }
    }

    /// Records a label change (its `old` is the label before it); the first change of a memory
    /// since the last save also records the file's label.
    mutating func record(_ change: LabelChange) {
        if !original.keys.contains(change.key) { original.updateValue(change.old, forKey: change.key) }
        current.updateValue(change.new, forKey: change.key)
    }
}
