import Foundation

/// One key of a file Folio reads (folio.yml, front matter, a cell's options): what it takes and
/// what it means. The readers' own key tables carry these, so the guide's reference pages and the
/// editor's completion are made from the keys the code accepts and cannot drift from them.
public struct KeyDescription: Sendable, Equatable {
    public var name: String
    public var value: String
    public var meaning: String

    public init(name: String, value: String, meaning: String) {
        self.name = name
        self.value = value
        self.meaning = meaning
    }
}

extension ProjectFile {
    public static var keyDescriptions: [KeyDescription] { Key.allCases.map(\.described) }
}

extension FrontMatter {
    public static var keyDescriptions: [KeyDescription] { Key.allCases.map(\.described) }
}

extension CellOptions {
    public static var keyDescriptions: [KeyDescription] { known }
}

extension ExitStatus {
    /// What the code tells a script, as the guide and `--help` say it.
    public var meaning: String {
        switch self {
        case .ok: "every notebook built and ran, every claim held"
        case .notebookFailed: "a notebook failed: a compile error, a crash, a timeout, a failed claim (its page shows it), a broken link (`check --links`), or the project's shared code does not compile"
        case .couldNotBuild: "the build could not run: a bad `folio.yml`, input that cannot be read as a notebook, no notebooks at the paths given, packages that would not resolve or build; the previous site is left byte-identical"
        case .usage: "wrong usage: an unknown option, `--jobs 0`"
        }
    }
}

/// The guide's generated reference pages, as notebooks (Markdown with front matter).
/// `folio reference --out DIR` writes them; `make docs` and `make test` do so before building `docs/`.
public enum ReferencePages {
    public static func projectFile(keys: [KeyDescription] = ProjectFile.keyDescriptions) -> String {
        page(title: "folio.yml keys", description: "Every key a project file may have, from the reader's own key table.",
             intro: """
             Every key is optional; a folder without `folio.yml` builds too. An unknown key is a warning at its \
             line, a wrong value an error at its line and column (exit 2). Profiles (`profiles:`) may set any \
             key but `profiles`.
             """, keys: keys)
    }

    public static func frontMatter(keys: [KeyDescription] = FrontMatter.keyDescriptions) -> String {
        page(title: "Front-matter keys", description: "Every key a notebook's front matter may have, from the reader's own key table.",
             intro: """
             Front matter is YAML between a first line `---` and a closing `---`. A project's `defaults:` sets \
             any of these for every notebook. An unknown key is a warning at its line, a wrong value an error.
             """, keys: keys)
    }

    public static func cellOptions(keys: [KeyDescription] = CellOptions.keyDescriptions) -> String {
        page(title: "Cell options", description: "Every `//|` option a cell may start with, from the parser's own table.",
             intro: """
             Options are comment lines `//| name: value` at the top of a cell. An unknown option is a warning at \
             its line.
             """, keys: keys)
    }

    public static func exitStatus(_ codes: [ExitStatus] = ExitStatus.allCases) -> String {
        var rows = ["| code | meaning |", "|---|---|"]
        rows += codes.map { "| \($0.rawValue) | \(cell($0.meaning)) |" }
        return """
            ---
            title: Exit status
            description: What each exit code of folio tells a script or CI.
            ---

            Every command exits with one of these codes (`folio --help` lists them too):

            \(rows.joined(separator: "\n"))

            """
    }

    /// The command line's help, one section per command, as ArgumentParser prints it.
    public static func commandLine(_ commands: [(name: String, help: String)]) -> String {
        var text = """
            ---
            title: Command-line reference
            description: Each folio command's help, as `folio help COMMAND` prints it.
            ---

            This page is `folio --help` and `folio help COMMAND` for every command, as the installed binary prints them.

            """
        for command in commands {
            // A fence longer than any run of backticks in the help, which mentions ```swift cells.
            let help = command.help.trimmingCharacters(in: .whitespacesAndNewlines)
            var fence = "```"
            while help.contains(fence) { fence += "`" }
            text += "\n## `\(command.name)`\n\n\(fence)text\n\(help)\n\(fence)\n"
        }
        return text
    }

    static func page(title: String, description: String, intro: String, keys: [KeyDescription]) -> String {
        var rows = ["| key | value | meaning |", "|---|---|---|"]
        rows += keys.map { "| `\($0.name)` | \(cell($0.value)) | \(cell($0.meaning)) |" }
        return """
            ---
            title: \(title)
            description: \(description)
            ---

            \(intro)

            \(rows.joined(separator: "\n"))

            """
    }

    /// A table cell's text: a `|` would end the cell.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}
