/// Small helpers for writing JSON text by hand where key order must be stable and readable
/// (dataset lines written by the importers).
public enum JSONText {
    /// A JSON string literal for `s`, escaping only what JSON requires.
    public static func quote(_ s: String) -> String {
        // Works on UTF-8 bytes: request bodies are built for every call, so this is a hot path.
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count + 16)
        out.append(0x22)
        let hex = Array("0123456789abcdef".utf8)
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x09: out.append(0x5C); out.append(0x74)
            case 0x08: out.append(0x5C); out.append(0x62)
            case 0x0C: out.append(0x5C); out.append(0x66)
            case 0..<0x20:
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0x0F)]])
            default:
                out.append(b)
            }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON number for a finite double: integers without a fraction, others in Swift's
    /// shortest round-tripping form.
    public static func number(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}
