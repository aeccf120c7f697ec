import Foundation
import Mustache

/// A project's `theme:` folder: Mustache templates that replace fragments of the default theme
/// one by one, and a stylesheet that replaces the default's. What a template may use is listed
/// with each `Template`; `{{x}}` is escaped, `{{{x}}}` is HTML Folio made.
public struct ThemeOverrides: Sendable {
    public enum Template: String, CaseIterable, Sendable {
        /// The frame of every page: title, siteTitle, root, {{{head}}}, {{{header}}}, {{{sidebar}}},
        /// {{{content}}}, {{{toc}}}, {{{footer}}}.
        case page
        /// level, id, text, {{{html}}}, number (empty unless the project numbers sections).
        case heading
        /// passed (a section), status (`holds`/`fails`), text, detail, line.
        case claim
        /// text: what a cell printed.
        case outputText = "output-text"
        /// text: a cell's trailing value.
        case outputValue = "output-value"
        /// severity, message, place (`file:line`), description.
        case diagnostic
        /// items: the footer's versions.
        case footer
    }

    public var templates: [Template: MustacheTemplate] = [:]
    /// Replaces `assets/folio.css` (`folio.css` in the folder).
    public var stylesheet: String?
    /// The folder's content, for the key that decides whether a page must be rendered again.
    public var key = ""

    public init() {}

    /// Reads the folder. A template that does not parse is an error at its line; a file that is not
    /// a known template or the stylesheet is a warning (a misspelt name would otherwise do nothing).
    public static func load(_ folder: URL, shown: (URL) -> String) throws -> (ThemeOverrides, [Diagnostic]) {
        var theme = ThemeOverrides()
        var warnings: [Diagnostic] = []
        var h = SHA256()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        for name in names {
            let url = folder.appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw FolioError(file: shown(url), "cannot read the theme file as UTF-8 text")
            }
            h.update(name + "\u{0}" + text + "\u{0}")
            if name == "folio.css" {
                theme.stylesheet = text
                continue
            }
            guard name.hasSuffix(".mustache"), let template = Template(rawValue: String(name.dropLast(".mustache".count))) else {
                let known = (Template.allCases.map { $0.rawValue + ".mustache" } + ["folio.css"]).joined(separator: ", ")
                warnings.append(Diagnostic(file: shown(url), line: 0, severity: .warning,
                                           message: "not a theme file Folio knows, so it is ignored; the files are \(known)"))
                continue
            }
            do {
                theme.templates[template] = try MustacheTemplate(string: text)
            } catch let e as MustacheTemplate.ParserError {
                throw FolioError(file: shown(url), line: e.context.lineNumber, column: e.context.columnNumber,
                                 "the template does not parse: \(e.error)")
            }
        }
        theme.key = h.finalize()
        return (theme, warnings)
    }

    /// The template's output for `values`, or nil when the theme does not replace it.
    func render(_ template: Template, _ values: [String: Any]) -> String? {
        templates[template].map { $0.render(values) }
    }
}
