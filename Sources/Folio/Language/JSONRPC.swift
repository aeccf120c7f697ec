import Foundation

/// JSON-RPC 2.0 over a byte stream with LSP's base protocol framing: `Content-Length: N` headers,
/// a blank line, then N bytes of UTF-8 JSON.
enum JSONRPC {
    /// One message as read: a request (`id` and `method`), a notification (`method` alone) or a
    /// response to something the server asked (`id` alone).
    struct Message: Decodable {
        var id: JSON?
        var method: String?
        var params: JSON?
        /// A response's answer or its error.
        var result: JSON?
        var error: JSON?
    }

    struct Request<P: Encodable>: Encodable {
        var jsonrpc = "2.0"
        var id: Int
        var method: String
        var params: P
    }

    /// Why a message could not be used; each is answered with its JSON-RPC error code.
    enum Failure: Error {
        case parse(String)
        case invalidRequest(String)

        var code: Int { switch self { case .parse: -32700; case .invalidRequest: -32600 } }
        var message: String { switch self { case .parse(let m), .invalidRequest(let m): m } }
    }

    /// Reads framed messages from a file descriptor.
    final class Reader {
        let fd: Int32
        private var buffer: [UInt8] = []
        private var start = 0

        init(fd: Int32) { self.fd = fd }

        /// The next message's bytes; nil when the stream ended (the client went away).
        func next() -> Data? {
            var length: Int?
            // Headers: lines up to an empty one; only Content-Length matters.
            while true {
                guard let line = readLine() else { return nil }
                if line.isEmpty {
                    if length != nil { break }
                    continue
                }
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-length" {
                    length = Int(parts[1].trimmingCharacters(in: .whitespaces))
                }
            }
            guard let length, length >= 0, length <= 64 << 20 else { return Data() }
            return read(count: length)
        }

        private func fill() -> Bool {
            if start > 0 && start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = Glibc.read(fd, &chunk, chunk.count)
                if n > 0 { buffer.append(contentsOf: chunk[0..<n]); return true }
                if n < 0 && errno == EINTR { continue }
                return false
            }
        }

        private func readLine() -> String? {
            while true {
                if let nl = buffer[start...].firstIndex(of: 10) {
                    var end = nl
                    if end > start && buffer[end - 1] == 13 { end -= 1 }
                    let line = String(decoding: buffer[start..<end], as: UTF8.self)
                    start = nl + 1
                    return line
                }
                guard fill() else { return nil }
            }
        }

        private func read(count: Int) -> Data? {
            while buffer.count - start < count { guard fill() else { return nil } }
            let data = Data(buffer[start..<(start + count)])
            start += count
            return data
        }
    }

    /// Writes framed messages; one at a time, from any thread.
    final class Writer: @unchecked Sendable {
        let fd: Int32
        private let lock = NSLock()

        init(fd: Int32) { self.fd = fd }

        func send<T: Encodable>(_ message: T) {
            guard let body = try? JSONEncoder().encode(message) else { return }
            var bytes = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
            bytes += body
            lock.lock()
            defer { lock.unlock() }
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }

    struct Response<R: Encodable>: Encodable {
        var jsonrpc = "2.0"
        var id: JSON
        var result: R
    }

    struct ErrorResponse: Encodable {
        struct Body: Encodable { var code: Int; var message: String }
        var jsonrpc = "2.0"
        var id: JSON
        var error: Body
    }

    struct Notification<P: Encodable>: Encodable {
        var jsonrpc = "2.0"
        var method: String
        var params: P
    }
}
