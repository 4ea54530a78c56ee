import Foundation

/// Saving edited labels to their dataset file without ever losing or half-writing one:
/// a file changed on disk since it was loaded is not written (the caller asks the user); the
/// first save keeps the original as `FILE.bak`; the new file is written atomically
/// (`AtomicFile`) and read back before it replaces the old one; every change gets a line in
/// the append-only `FILE.labels.log`.
public enum LabelFileSave {
    public enum Outcome: Sendable {
        /// Written: the file as it now is (its new hash), the changes made (old labels as the
        /// file had them), and the backup made by this save, if it made one.
        case saved(Dataset, changes: [LabelChange], backup: String?)
        /// The file's bytes are not those the labels were edited on: nothing was written.
        case changedOnDisk(currentHash: String)
    }

    public static func backupPath(_ path: String) -> String { path + ".bak" }
    public static func logPath(_ path: String) -> String { path + ".labels.log" }

    /// Writes `labels` (the wanted label of each edited memory) into the file at `path`.
    /// `expectedHash`: the file's hash when it was loaded; nil writes over whatever is there now
    /// (the user chose "keep mine" after being told it changed). `check` runs between the write
    /// and the rename (tests fail there on purpose).
    public static func save(path: String, expectedHash: String?, labels: [LabelKey: Int?], date: Date = Date(),
                            check: (String) throws -> Void = { _ in }) throws(InputError) -> Outcome {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot be read any more (moved or deleted?); the label edits stay in the workbench and its session")
        }
        let bytes = [UInt8](data)
        let hash = Digest.sha256(bytes: bytes)
        if let expectedHash, expectedHash != hash { return .changedOnDisk(currentHash: hash) }
        let original = try DatasetLoader().load(path: path)
        let patch = try DatasetLabelPatch.apply(labels, to: bytes, file: path)
        let changes = labels.keys.sorted().compactMap { key -> LabelChange? in
            let old = patch.before[key] ?? nil
            let new = labels[key] ?? nil
            return old == new ? nil : LabelChange(key: key, old: old, new: new)
        }
        guard !changes.isEmpty else { return .saved(original, changes: [], backup: nil) }
        var expected = original
        for change in changes { expected.setLabel(change.new, for: change.key) }
        var backup: String?
        if !FileManager.default.fileExists(atPath: backupPath(path)) {
            try AtomicFile.write(bytes, to: backupPath(path))
            backup = backupPath(path)
        }
        try AtomicFile.write(patch.bytes, to: path) { temporary in
            try check(temporary)
            // Read back before it replaces anything: the same queries, memories and texts, with
            // exactly the new labels.
            let written = try DatasetLoader().load(path: temporary)
            guard written.queries == expected.queries else {
                throw InputError(file: path, message: "the rewritten file did not read back as the same dataset with the new labels, so it was not replaced; please report this with the file")
            }
        }
        let stamp = ISO8601DateFormatter().string(from: date)
        let lines = changes.map { c in
            "\(stamp) query \(JSONText.inertQuote(c.key.queryID)) memory \(JSONText.inertQuote(c.key.memoryID)) \(LabelChange.text(c.old)) -> \(LabelChange.text(c.new))\n"
        }
        try AtomicFile.append(lines.joined(), to: logPath(path))
        var saved = try DatasetLoader().load(path: path)
        saved.path = original.path
        return .saved(saved, changes: changes, backup: backup)
    }
}
