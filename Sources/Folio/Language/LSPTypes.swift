import Foundation

/// The LSP 3.17 structures the server reads and writes (only the fields it uses).
enum LSP {
    /// 0-based line; `character` counts UTF-16 code units, LSP's default position encoding.
    struct Position: Codable, Equatable, Comparable {
        var line: Int
        var character: Int
        static func < (a: Position, b: Position) -> Bool { (a.line, a.character) < (b.line, b.character) }
    }

    struct Range: Codable, Equatable {
        var start: Position
        var end: Position
    }

    struct Location: Codable, Equatable {
        var uri: String
        var range: Range
    }

    struct TextDocumentIdentifier: Codable { var uri: String }

    struct TextDocumentItem: Codable {
        var uri: String
        var languageId: String?
        var version: Int
        var text: String
    }

    struct VersionedTextDocumentIdentifier: Codable {
        var uri: String
        var version: Int?
    }

    struct ContentChange: Codable {
        var range: Range?
        var text: String
    }

    struct DidOpen: Codable { var textDocument: TextDocumentItem }
    struct DidChange: Codable { var textDocument: VersionedTextDocumentIdentifier; var contentChanges: [ContentChange] }
    struct DidSave: Codable { var textDocument: TextDocumentIdentifier; var text: String? }
    struct DidClose: Codable { var textDocument: TextDocumentIdentifier }

    struct TextDocumentPosition: Codable {
        var textDocument: TextDocumentIdentifier
        var position: Position
    }

    struct ReferenceParams: Codable {
        struct Context: Codable { var includeDeclaration: Bool }
        var textDocument: TextDocumentIdentifier
        var position: Position
        var context: Context?
    }

    struct RangeParams: Codable {
        var textDocument: TextDocumentIdentifier
        var range: Range
    }

    struct Diagnostic: Codable, Equatable {
        var range: Range
        /// 1 error, 2 warning, 3 information, 4 hint.
        var severity: Int
        var source = "folio"
        var code: String?
        var message: String
    }

    struct PublishDiagnostics: Codable {
        var uri: String
        var version: Int?
        var diagnostics: [Diagnostic]
    }

    struct CompletionItem: Codable, Equatable {
        var label: String
        /// 6 variable, 10 property, 12 value, 17 file, 18 reference, 14 keyword.
        var kind: Int?
        var detail: String?
        var documentation: String?
        var insertText: String?
        var sortText: String?
    }

    struct CompletionList: Codable {
        var isIncomplete: Bool
        var items: [CompletionItem]
    }

    struct DocumentSymbol: Codable {
        var name: String
        var detail: String?
        /// 2 module, 5 class, 13 variable, 15 string, 19 object, 23 struct…
        var kind: Int
        var range: Range
        var selectionRange: Range
        var children: [DocumentSymbol]?
    }

    struct MarkupContent: Codable {
        var kind = "markdown"
        var value: String
    }

    struct Hover: Codable {
        var contents: MarkupContent
        var range: Range?
    }

    struct InlayHint: Codable {
        var position: Position
        var label: String
        /// 1 type, 2 parameter.
        var kind: Int?
        var paddingLeft: Bool?
        var tooltip: String?
    }
}
