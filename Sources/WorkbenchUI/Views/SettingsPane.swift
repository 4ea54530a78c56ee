import RerankCore

/// Run settings: provider (with key / server state), model, mode, parser and the rest.
enum SettingsPane {
    static func value(_ state: WorkbenchState, _ field: SettingField) -> String {
        let s = state.settings
        switch field {
        case .provider:
            if ProviderCatalog.ignoresPrompt(s.provider) { return "lexical  (BM25 baseline, not an LLM)" }
            if state.sessionKeyProviders.contains(s.provider) { return "\(s.provider)  ● key given for this session (K)" }
            if let origin = state.configOrigin, origin.provider == s.provider, origin.hasKey { return "\(s.provider)  ● key from \(origin.path)" }
            // The availability check knows only the default URL: with a URL of the user's own it
            // would name the wrong server.
            if s.baseURL != nil, ProviderPreset.named(s.provider)?.isLocal == true { return "\(s.provider)  (the server at the base URL below)" }
            if let p = state.providers.first(where: { $0.name == s.provider }) { return "\(s.provider)  \(p.ready ? "●" : "○") \(p.detail)\(p.ready ? "" : " or K")" }
            return s.provider
        case .model:
            if s.model.isEmpty { return "(Enter to type a model name)" }
            if let price = PriceTable.bundled.price(provider: s.provider, model: s.model), price.input > 0 {
                return "\(s.model)  $\(price.input.formatted(decimals: 2))/$\(price.output.formatted(decimals: 2)) per 1M in/out"
            }
            return s.model
        case .baseURL:
            if s.provider == ProviderPreset.localName { return "127.0.0.1, a free port (started when a run needs it)" }
            if s.baseURL == nil, let origin = state.configOrigin, origin.provider == s.provider, let line = origin.endpointSummary { return line }
            return s.baseURL ?? ProviderPreset.named(s.provider).map { $0.baseURL.isEmpty ? "(from environment)" : "\($0.baseURL) (default)" } ?? "-"
        case .mode: return s.mode == .system ? "system (mem0 2.0.2+)" : "template (mem0 docs)"
        case .parser: return s.parser.rawValue
        case .scale: return s.parser == .mem0 ? "\(s.scale.rawValue) (mem0 ignores it)" : s.scale.rawValue
        case .temperature: return (s.temperature ?? 0).formatted(decimals: 1)
        case .maxTokens: return String(s.maxTokens ?? 100)
        case .topK: return s.topK.map(String.init) ?? "all"
        case .samples: return String(s.samples)
        case .concurrency: return String(s.concurrency)
        case .failurePolicy: return s.failurePolicy == .mem0 ? "mem0 (0.5, flagged)" : "strict (failed, ranked last)"
        case .ties: return s.ties == .stable ? "stable (mem0)" : "trec (docid desc)"
        case .cutoff: return s.metrics.cutoffs.map(String.init).joined(separator: ",")
        }
    }

    /// The first setting shown in a pane `height` rows high.
    static func firstShown(_ state: WorkbenchState, height: Int) -> Int {
        max(0, min(state.settingsCursor - height + 1, SettingField.allCases.count - height))
    }

    static func draw(_ grid: inout ScreenGrid, _ rect: Rect, _ state: WorkbenchState, focused: Bool) {
        grid.box(rect, title: "2 Settings\(state.isRunning ? " (locked while running)" : "")", focused: focused)
        let inner = rect.inner
        let fields = SettingField.allCases
        let top = firstShown(state, height: inner.height)
        for (i, field) in fields.dropFirst(top).prefix(inner.height).enumerated() {
            let y = inner.y + i
            let selected = field.rawValue == state.settingsCursor
            let style: Style = selected && focused ? .reverse : .plain
            if selected && focused { grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: .reverse) }
            grid.put(DisplayWidth.pad(field.label, 12), x: inner.x, y: y, style: selected ? Style(bold: true, reverse: focused) : .dim)
            var v = value(state, field)
            if field == .provider, let dot = v.firstIndex(where: { $0 == "●" || $0 == "○" }) {
                let name = String(v[..<dot])
                let x = inner.x + 13 + grid.put(name, x: inner.x + 13, y: y, style: style, limit: inner.width - 13)
                let ready = v[dot] == "●"
                v = String(v[dot...])
                grid.put(DisplayWidth.clip(v, max(0, inner.right - x)), x: x, y: y, style: selected && focused ? style : (ready ? .color(.green) : .color(.yellow)))
                continue
            }
            grid.put(DisplayWidth.clip(v, max(0, inner.width - 13)), x: inner.x + 13, y: y, style: style)
        }
    }
}
