import Foundation

/// Reads a file line by line in fixed-size chunks, so a large dataset never sits in memory twice.
///
/// Lines are split on LF; a trailing CR (CRLF files) and a UTF-8 byte-order mark at the start of the
/// file are removed. Line numbers are 1-based, counting every physical line.
public struct LineReader: Sequence {
    public let path: String
    private let chunkSize: Int

    public init(path: String, chunkSize: Int = 1 << 20) {
        self.path = path
        self.chunkSize = chunkSize
    }

    public func makeIterator() -> Iterator {
        Iterator(handle: FileHandle(forReadingAtPath: path), chunkSize: chunkSize)
    }

    public struct Iterator: IteratorProtocol {
        private let handle: FileHandle?
        private let chunkSize: Int
        private var buffer: [UInt8] = []
        private var start = 0
        private var eof = false
        private var lineNumber = 0

        init(handle: FileHandle?, chunkSize: Int) {
            self.handle = handle
            self.chunkSize = chunkSize
            if handle == nil { eof = true }
        }

        public mutating func next() -> (number: Int, bytes: ArraySlice<UInt8>)? {
            while true {
                if let nl = buffer[start...].firstIndex(of: 0x0A) {
                    var line = buffer[start..<nl]
                    start = nl + 1
                    return emit(&line)
                }
                if eof {
                    if start < buffer.count {
                        var line = buffer[start...]
                        start = buffer.count
                        return emit(&line)
                    }
                    return nil
                }
                // Keep the unfinished tail and read more.
                if start > 0 {
                    buffer.removeSubrange(0..<start)
                    start = 0
                }
                let data = (try? handle?.read(upToCount: chunkSize)) ?? nil
                if let data, !data.isEmpty {
                    buffer.append(contentsOf: data)
                } else {
                    eof = true
                    try? handle?.close()
                }
            }
        }

        private mutating func emit(_ line: inout ArraySlice<UInt8>) -> (number: Int, bytes: ArraySlice<UInt8>) {
            lineNumber += 1
            if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) {
                line = line.dropFirst(3)
            }
            if line.last == 0x0D { line = line.dropLast() }
            return (lineNumber, line)
        }
    }
}
