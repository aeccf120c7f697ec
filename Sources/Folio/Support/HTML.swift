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

    /// Text content of an HTML fragment: tags, placeholders and heading self-links dropped, the five
    /// entities HTML.escape writes decoded, white space folded. One pass over the bytes.
    static let anchorBytes = Array("<a class=\"anchor\"".utf8)
    static let entities: [([UInt8], UInt8)] = [(Array("&amp;".utf8), 38), (Array("&lt;".utf8), 60), (Array("&gt;".utf8), 62),
                                               (Array("&quot;".utf8), 34), (Array("&#39;".utf8), 39)]

    public static func plainText(_ html: String) -> String {
        let b = Array(html.utf8)
        var out = [UInt8]()
        out.reserveCapacity(b.count / 2)
        var i = 0
        var lastSpace = true
        let anchor = Self.anchorBytes
        func space() { if !lastSpace { out.append(32); lastSpace = true } }
        while i < b.count {
            let c = b[i]
            if c == 0xEE, let placeholder = Placeholder.extent(in: b, openingAt: i) {
                i = placeholder.end  // a formula's or cell's place: not text
                continue
            }
            if c == 60 {  // <
                if b[i...].starts(with: anchor) {
                    while i + 3 < b.count && !(b[i] == 60 && b[i + 1] == 47 && b[i + 2] == 97 && b[i + 3] == 62) { i += 1 }
                    i += 4
                    continue
                }
                while i < b.count && b[i] != 62 { i += 1 }
                i += 1
                space()
                continue
            }
            if c == 38 {  // &
                if let (e, ch) = Self.entities.first(where: { e, _ in b[i...].starts(with: e) }) {
                    out.append(ch); lastSpace = false; i += e.count
                    continue
                }
            }
            if c == 32 || c == 10 || c == 9 || c == 13 { space(); i += 1; continue }
            out.append(c)
            lastSpace = false
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    /// First index of `needle` at or after `from` (the needles Folio looks for start with a rare byte).
    func firstIndex(of needle: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, needle.count <= count else { return nil }
        var i = from
        let last = count - needle.count
        while i <= last {
            if self[i] == first {
                var k = 1
                while k < needle.count && self[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}

extension String {
    /// Whether the UTF-8 bytes contain `needle`, found with `memchr` on its first byte
    /// (Foundation's `contains` goes through UTF-16 and was a fifth of a large `--no-execute` build).
    func containsUTF8(_ needle: String) -> Bool {
        var haystack = self, needle = needle
        return haystack.withUTF8 { h in
            needle.withUTF8 { n in
                guard let first = n.first, let base = h.baseAddress, n.count <= h.count else { return n.isEmpty }
                var offset = 0
                while offset + n.count <= h.count, let hit = memchr(base + offset, Int32(first), h.count - offset - n.count + 1) {
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, n.baseAddress!, n.count) == 0 { return true }
                    offset = at + 1
                }
                return false
            }
        }
    }

    /// Whether the UTF-8 bytes contain `byte`, by `memchr` over contiguous storage (iterating a
    /// `UTF8View` byte by byte showed up in the render profile).
    func containsUTF8Byte(_ byte: UInt8) -> Bool {
        if let found = utf8.withContiguousStorageIfAvailable({ p in p.baseAddress.map { memchr($0, Int32(byte), p.count) != nil } ?? false }) {
            return found
        }
        return utf8.contains(byte)
    }
}
