/// HTML character references (`&#58;`, `&#x3a`, `&colon;`) decoded as a browser decodes them in an
/// attribute value, far enough to see what a URL's scheme or a style really says.
///
/// Every named reference of the HTML Standard that stands for ASCII text is here; the others
/// stand for non-ASCII characters, which can form neither a URL scheme nor a CSS keyword, so
/// leaving them undecoded cannot hide one.
enum CharacterReference {
    static let asciiNamed: [String: String] = [
        "Tab": "\t", "NewLine": "\n", "excl": "!", "quot": "\"", "QUOT": "\"", "num": "#", "dollar": "$",
        "percnt": "%", "amp": "&", "AMP": "&", "apos": "'", "lpar": "(", "rpar": ")", "ast": "*", "midast": "*",
        "plus": "+", "comma": ",", "period": ".", "sol": "/", "colon": ":", "semi": ";", "lt": "<", "LT": "<",
        "equals": "=", "gt": ">", "GT": ">", "quest": "?", "commat": "@", "lsqb": "[", "lbrack": "[", "bsol": "\\",
        "rsqb": "]", "rbrack": "]", "Hat": "^", "lowbar": "_", "UnderBar": "_", "grave": "`",
        "DiacriticalGrave": "`", "lcub": "{", "lbrace": "{", "verbar": "|", "vert": "|", "VerticalLine": "|",
        "rcub": "}", "rbrace": "}", "fjlig": "fj",
    ]
    /// Of those, the ones a browser also decodes without the `;` (the Standard's legacy names).
    static let legacy: Set<String> = ["amp", "AMP", "lt", "LT", "gt", "GT", "quot", "QUOT"]

    /// `raw` with its character references decoded. In an attribute value a legacy name without
    /// `;` followed by a letter, digit or `=` stays as written, as browsers keep it.
    static func decode(_ raw: [UInt8], inAttribute: Bool = true) -> [UInt8] {
        guard raw.contains(38) else { return raw }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            guard raw[i] == 38, i + 1 < raw.count else { out.append(raw[i]); i += 1; continue }
            if raw[i + 1] == 35, let (scalar, end) = numeric(raw, from: i + 2) {
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
                i = end
                continue
            }
            var j = i + 1
            while j < raw.count && j - i <= 32 && HTMLTokenizer.isASCIILetter(raw[j]) { j += 1 }
            let name = String(decoding: raw[(i + 1)..<j], as: UTF8.self)
            if j < raw.count && raw[j] == 59, let text = asciiNamed[name] {
                out.append(contentsOf: Array(text.utf8))
                i = j + 1
                continue
            }
            let followedByNameByte = j < raw.count && (isAlphanumeric(raw[j]) || raw[j] == 61)
            if legacy.contains(name), !(inAttribute && followedByNameByte), let text = asciiNamed[name] {
                out.append(contentsOf: Array(text.utf8))
                i = j
                continue
            }
            out.append(38)
            i += 1
        }
        return out
    }

    /// `&#…` after the `#`: the scalar and where the reference ends (its `;` is optional).
    static func numeric(_ raw: [UInt8], from start: Int) -> (Unicode.Scalar, Int)? {
        var j = start
        var hex = false
        if j < raw.count && (raw[j] | 0x20) == 120 { hex = true; j += 1 }
        let digitsStart = j
        var value: UInt32 = 0
        while j < raw.count {
            let c = raw[j]
            let digit: UInt32
            if c >= 48 && c <= 57 { digit = UInt32(c - 48) }
            else if hex && (c | 0x20) >= 97 && (c | 0x20) <= 102 { digit = UInt32((c | 0x20) - 87) }
            else { break }
            value = min(value &* (hex ? 16 : 10) &+ digit, 0x110000)
            j += 1
        }
        guard j > digitsStart else { return nil }
        if j < raw.count && raw[j] == 59 { j += 1 }
        // NUL, surrogates and values past Unicode become U+FFFD, as in browsers; C1 controls
        // map to windows-1252 there, which is never ASCII either.
        let scalar = Unicode.Scalar(value).flatMap { value == 0 ? nil : $0 } ?? "\u{FFFD}"
        return (scalar, j)
    }

    static func isAlphanumeric(_ c: UInt8) -> Bool { HTMLTokenizer.isASCIILetter(c) || (c >= 48 && c <= 57) }
}
