extension Keymap {
    /// This keymap with `overrides` in place of the keys of those commands.
    ///
    /// Each binding of an overridden command keeps its panes and its place in the key bar and
    /// takes the new keys. In the editor a plain character is text, so there a binding keeps
    /// only the keys that are not one (Ctrl-, Alt-, F-keys); a command left with none there is
    /// reached through the palette. A key then given to two commands in one pane is refused,
    /// naming both: the first row would silently win. The built-in table's own overlaps (Esc
    /// cancels a run, else leaves the editor) are deliberate and are not checked.
    public func overriding(_ overrides: [Command: [Key]]) throws(KeymapConflict) -> Keymap {
        guard !overrides.isEmpty else { return self }
        var result: [Binding] = []
        for b in bindings {
            guard let keys = overrides[b.command] else { result.append(b); continue }
            let panes = b.focus.isEmpty ? Set(Focus.allCases) : b.focus
            let typed = keys.filter { if case .char = $0 { return true } else { return false } }
            guard panes.contains(.prompt), !typed.isEmpty else {
                result.append(Binding(keys: keys, command: b.command, focus: b.focus, inBar: b.inBar))
                continue
            }
            let outside = panes.subtracting([.prompt])
            if !outside.isEmpty { result.append(Binding(keys: keys, command: b.command, focus: outside, inBar: b.inBar)) }
            let inEditor = keys.filter { !typed.contains($0) }
            if !inEditor.isEmpty { result.append(Binding(keys: inEditor, command: b.command, focus: [.prompt], inBar: b.inBar)) }
        }
        let keymap = Keymap(bindings: result, contextBindings: contextBindings)
        try keymap.checkConflicts(of: Set(overrides.keys))
        return keymap
    }

    /// Commands that share keys on purpose: the reducer picks one by what is going on.
    static let sharingKeys: Set<Set<Command>> = [[.cancelRun, .leaveEditor]]

    /// Throws for a key bound to an overridden command and to another command in one pane.
    func checkConflicts(of changed: Set<Command>) throws(KeymapConflict) {
        for pane in Focus.allCases {
            var owner: [Key: Command] = [:]
            for b in bindings where b.focus.isEmpty || b.focus.contains(pane) {
                for key in b.keys {
                    if let other = owner[key], other != b.command, changed.contains(b.command) || changed.contains(other),
                       !Self.sharingKeys.contains([b.command, other]) {
                        let (mine, theirs) = changed.contains(b.command) ? (b.command, other) : (other, b.command)
                        throw KeymapConflict(key: key, command: mine, other: theirs, pane: pane)
                    }
                    if owner[key] == nil { owner[key] = b.command }
                }
            }
        }
    }
}

extension Keymap {
    /// The characters some row binds with Alt. A terminal sends Alt-W as Esc then `w`, which is
    /// also what Esc pressed just before `w` looks like; the adapter reads Esc + character as Alt
    /// only for these, so Esc followed at once by any other key stays Esc and that key.
    public var altCharacters: Set<Character> {
        var out = Set<Character>()
        let keys = bindings.flatMap(\.keys) + contextBindings.flatMap { row -> [Key] in
            if case let .keys(list) = row.keys { return list } else { return [] }
        }
        for case let .alt(c) in keys { out.insert(c) }
        return out
    }
}
