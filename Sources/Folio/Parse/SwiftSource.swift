import SwiftParser
import SwiftSyntax

/// The one way Folio parses a cell's Swift (statement classification, highlighting).
///
/// swift-syntax's parser looks ahead exponentially in the nesting depth of `[` (the array and
/// inline-array type lookahead: 16 levels take ≈0.25 s, 24 levels about a minute; found by the
/// markdown fuzz target), while swiftc's own parser, which compiles the cell, does not. Past
/// `maxBracketDepth` the brackets are parsed as parentheses instead: the same bytes at the same
/// offsets, the same statements and names, so classifications still line up with the real text.
enum SwiftSource {
    static let maxBracketDepth = 10

    static func parse(_ code: String) -> SourceFileSyntax {
        var bytes = Array(code.utf8)
        guard bracketDepth(bytes) > maxBracketDepth else { return Parser.parse(source: code) }
        for i in bytes.indices {
            if bytes[i] == UInt8(ascii: "[") { bytes[i] = UInt8(ascii: "(") }
            else if bytes[i] == UInt8(ascii: "]") { bytes[i] = UInt8(ascii: ")") }
        }
        return bytes.withUnsafeBufferPointer { Parser.parse(source: $0) }
    }

    /// The deepest nesting of `[` (strings and comments included: masking them is harmless).
    static func bracketDepth(_ bytes: [UInt8]) -> Int {
        var depth = 0, deepest = 0
        for b in bytes {
            if b == UInt8(ascii: "[") { depth += 1; deepest = max(deepest, depth) }
            else if b == UInt8(ascii: "]") { depth = max(0, depth - 1) }
        }
        return deepest
    }
}

extension SwiftSource {
    /// The runtime's claim functions (`FolioRuntime/Claims.swift`).
    static let claimFunctions: Set<String> = ["check", "expect"]

    /// Whether `code` calls `check(…)` or `expect(…)`: a claim, as the parser sees it (a name in
    /// a string or a comment, or `recheck(`, is none).
    static func makesClaims(_ code: String) -> Bool {
        final class Finder: SyntaxVisitor {
            var found = false
            override func visit(_ node: FunctionCallExprSyntax) -> SyntaxVisitorContinueKind {
                if let name = node.calledExpression.as(DeclReferenceExprSyntax.self)?.baseName.text,
                   SwiftSource.claimFunctions.contains(name) {
                    found = true
                    return .skipChildren
                }
                return found ? .skipChildren : .visitChildren
            }
        }
        let finder = Finder(viewMode: .sourceAccurate)
        finder.walk(parse(code))
        return finder.found
    }
}
