import Foundation
import COpenSSL

/// SHA-256 by OpenSSL's libcrypto (EVP interface), for cache keys and page keys: streaming
/// updates, a lowercase hex digest. OpenSSL rather than swift-crypto or Folio's own code: the
/// numbers are in ARCHITECTURE.md ("Decisions").
public struct SHA256 {
    /// Owns the OpenSSL context, so it is freed with the last copy of the hasher.
    private final class Context {
        let ctx: OpaquePointer

        init() {
            ctx = EVP_MD_CTX_new()!
            EVP_DigestInit_ex(ctx, EVP_sha256(), nil)
        }

        deinit { EVP_MD_CTX_free(ctx) }
    }

    private let context = Context()

    public init() {}

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let done = bytes.withContiguousStorageIfAvailable { buffer in
            _ = EVP_DigestUpdate(context.ctx, buffer.baseAddress, buffer.count)
        }
        if done == nil { update(Array(bytes)) }
    }

    public mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { buffer in _ = EVP_DigestUpdate(context.ctx, buffer.baseAddress, buffer.count) }
    }

    /// The digest as 64 lowercase hex digits. The hasher is spent afterwards.
    public mutating func finalize() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context.ctx, &digest, &length)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest.prefix(Int(length)) {
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The hash of `data`, in hex.
    public static func hex(_ data: Data) -> String {
        var h = SHA256()
        h.update(data)
        return h.finalize()
    }

    public static func hex(_ text: String) -> String {
        var h = SHA256()
        h.update(text)
        return h.finalize()
    }
}
