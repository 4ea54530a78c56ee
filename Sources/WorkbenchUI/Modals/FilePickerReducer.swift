/// The dataset picker: folders and .jsonl files, listed by the shell.
public enum FilePickerReducer {
    public enum Intent: Sendable, Hashable {
        /// Selection down (negative: up).
        case move(Int)
        case open, parentFolder, close
    }

    static func reduce(_ state: inout WorkbenchState, _ intent: Intent) -> [Effect] {
        guard case let .filePicker(directory, entries, selection) = state.modals.last else { return [] }
        switch intent {
        case let .move(delta):
            state.replaceTopModal(.filePicker(directory: directory, entries: entries, selection: ListSelection.moved(selection, by: delta, count: entries.count)))
        case .close:
            state.closeTopModal()
        case .parentFolder:
            return [.listDirectory(directory + "/..")]
        case .open:
            guard selection < entries.count else { return [] }
            let entry = entries[selection]
            let path = directory == "." ? entry.name : "\(directory)/\(entry.name)"
            if entry.isDirectory { return [.listDirectory(path)] }
            state.closeTopModal()
            return [.loadDataset(path)]
        }
        return []
    }
}
