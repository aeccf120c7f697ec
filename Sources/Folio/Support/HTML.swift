import Foundation

/// Escaping for the two HTML contexts Folio writes into: element text and quoted attributes.
///
/// Every string that comes from a notebook, its outputs or its front matter passes through here
/// before it reaches a page; `"` and `'` are escaped too so the same function is safe in attributes.
public enum HTML {
    /// Escapes `& < > " '` for use in element text or a double/single-quoted attribute value.
    public static func escape(_ text: String) -> String {
        var needs = false
        for b in text.utf8 where b == 38 || b == 60 || b == 62 || b == 34 || b == 39 {
            needs = true
            break
        }
        if !needs { return text }
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count + 16)
        for b in text.utf8 {
            switch b {
            case 38: out.append(contentsOf: Array("&amp;".utf8))
            case 60: out.append(contentsOf: Array("&lt;".utf8))
            case 62: out.append(contentsOf: Array("&gt;".utf8))
            case 34: out.append(contentsOf: Array("&quot;".utf8))
            case 39: out.append(contentsOf: Array("&#39;".utf8))
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// Whether the UTF-8 bytes contain `byte`, by `memchr` over contiguous storage (iterating a
    /// `UTF8View` byte by byte showed up in the render profile).
    func containsUTF8Byte(_ byte: UInt8) -> Bool {
        if let found = utf8.withContiguousStorageIfAvailable({ p in p.baseAddress.map { memchr($0, Int32(byte), p.count) != nil } ?? false }) {
            return found
        }
        return utf8.contains(byte)
    }
}
