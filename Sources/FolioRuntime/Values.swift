import Foundation
import FolioWire

/// Values that travel between a project's notebooks. `export("rank", r)` in one notebook and
/// `imported("other.md", "rank", as: Int.self)` in another: the build runs the exporting notebook
/// first, hands its values to the importer and keys the importer's cache on them, so a changed
/// upstream value re-runs exactly the notebooks that import it.

/// Makes `value` available to later notebooks under `name` (JSON, so any `Encodable` value).
public func export<T: Encodable>(_ name: String, _ value: T, line: Int = #line) {
    guard !name.isEmpty, !name.contains("\n") else {
        _Notebook.uncaught(ValueError.badName(name, line: line))
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Non-finite numbers have no JSON; they travel as strings JSONDecoder reads back the same way.
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    do {
        let data = try encoder.encode(value)
        Channel.send(.exported(name: name, json: String(decoding: data, as: UTF8.self)))
    } catch {
        _Notebook.uncaught(ValueError.notEncodable(name, String(describing: error), line: line))
    }
}

/// The value `notebook` (a path relative to this notebook's folder) exported as `name`.
/// The build resolves it before this notebook runs; a name the other notebook does not export
/// ends the run with an error at this line.
public func imported<T: Decodable>(_ notebook: String, _ name: String, as type: T.Type = T.self, line: Int = #line) -> T {
    guard let json = ImportedValues.shared[notebook]?[name] else {
        let exported = (ImportedValues.shared[notebook] ?? [:]).keys.sorted()
        _Notebook.uncaught(ValueError.missing(notebook, name, exported: exported, line: line))
    }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    do {
        return try decoder.decode(T.self, from: Data(json.utf8))
    } catch {
        _Notebook.uncaught(ValueError.wrongType(notebook, name, String(describing: T.self), json: String(json.prefix(200)), line: line))
    }
}

/// What the build handed this run: `FOLIO_IMPORTS` names a JSON file, notebook → name → JSON.
enum ImportedValues {
    static let shared: [String: [String: String]] = {
        guard let path = NotebookEnvironment.imports.value,
              let data = FileManager.default.contents(atPath: path),
              let values = try? JSONDecoder().decode([String: [String: String]].self, from: data) else { return [:] }
        return values
    }()
}

enum ValueError: Error, CustomStringConvertible, CustomDebugStringConvertible {
    var debugDescription: String { description }
    case badName(String, line: Int)
    case notEncodable(String, String, line: Int)
    case missing(String, String, exported: [String], line: Int)
    case wrongType(String, String, String, json: String, line: Int)

    var description: String {
        switch self {
        case let .badName(name, line):
            "line \(line): export needs a name without newlines, got \(String(reflecting: name))"
        case let .notEncodable(name, why, line):
            "line \(line): cannot export `\(name)`: \(why)"
        case let .missing(notebook, name, exported, line):
            "line \(line): \(notebook) exports no value `\(name)`" + (exported.isEmpty ? " (it exports nothing)" : "; it exports \(exported.map { "`\($0)`" }.joined(separator: ", "))")
        case let .wrongType(notebook, name, type, json, line):
            "line \(line): `\(name)` from \(notebook) is not a \(type): \(json)"
        }
    }
}
