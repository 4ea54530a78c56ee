/// The range a prompt asks the model to answer in; replies are mapped to 0...1 from it.
public enum ScoreScale: String, Sendable, CaseIterable, Codable {
    case unit = "0-1"
    case ten = "0-10"
    case hundred = "0-100"

    /// Accepts the raw names plus `percent` (same as 0-100) and `1`, `10`, `100`.
    public init?(name: String) {
        switch name.lowercased() {
        case "0-1", "1", "unit": self = .unit
        case "0-10", "10", "ten": self = .ten
        case "0-100", "100", "percent", "%": self = .hundred
        default: return nil
        }
    }

    var divisor: Double {
        switch self {
        case .unit: return 1
        case .ten: return 10
        case .hundred: return 100
        }
    }
}
