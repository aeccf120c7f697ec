import Foundation
import Yams

/// A notebook's parameters (front matter `params:`): typed constants its cells read as
/// `params.NAME`, set from the front matter, a project's defaults and profiles, `-P NAME=VALUE`,
/// or a sweep. They are part of the execution cache key and shown on the page.
public struct Parameter: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case int = "Int", double = "Double", string = "String", bool = "Bool"
        case ints = "[Int]", doubles = "[Double]", strings = "[String]"

        /// "a" or "an", as the type's name is read.
        var article: String { self == .int ? "an" : "a" }

        var element: Kind? {
            switch self {
            case .ints: return .int
            case .doubles: return .double
            case .strings: return .string
            default: return nil
            }
        }
    }

    public var name: String
    public var kind: Kind
    public var value: ParameterValue
    /// Allowed values (numbers, and each element of a list of numbers), when declared with `in:`.
    public var lower: Double?
    public var upper: Double?
    /// The front-matter line it was declared on.
    public var line: Int

    /// The value, checked against the range; nil when it is inside (or there is none).
    func rangeProblem(_ v: ParameterValue) -> String? {
        guard let lower, let upper else { return nil }
        let numbers: [Double]
        switch v {
        case .int(let i): numbers = [Double(i)]
        case .double(let d): numbers = [d]
        case .list(let items): numbers = items.compactMap(\.number)
        default: numbers = []
        }
        guard let bad = numbers.first(where: { $0 < lower || $0 > upper }) else { return nil }
        return "\(ParameterValue.format(bad)) is outside \(ParameterValue.format(lower))...\(ParameterValue.format(upper))"
    }

    /// Sets the value from text (`-P d=128`, `-P seeds=1,2,3`), checked against the type and range.
    func parsing(_ text: String) throws -> Parameter {
        guard let v = ParameterValue.parse(text, as: kind) else {
            throw ParameterError("`\(name)` is \(kind.article) \(kind.rawValue), and `\(text)` is not one")
        }
        if let problem = rangeProblem(v) { throw ParameterError("`\(name)` = \(text): \(problem)") }
        var p = self
        p.value = v
        return p
    }
}

struct ParameterError: Error { var message: String; init(_ m: String) { message = m } }

/// A parameter's value.
public enum ParameterValue: Sendable, Equatable, Hashable {
    case int(Int), double(Double), string(String), bool(Bool), list([ParameterValue])

    var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// As Swift source, for the generated `params` constant.
    func literal(_ kind: Parameter.Kind) -> String {
        switch self {
        case .int(let i): return kind == .double || kind == .doubles ? "\(i).0" : String(i)
        case .double(let d): return d.isFinite ? "\(d)" : (d.isNaN ? "Double.nan" : (d > 0 ? "Double.infinity" : "-Double.infinity"))
        case .string(let s): return ProgramGenerator.stringLiteral(s)
        case .bool(let b): return b ? "true" : "false"
        case .list(let items): return "[" + items.map { $0.literal(kind) }.joined(separator: ", ") + "]"
        }
    }

    /// As people read it: `64`, `0.01`, `greedy`, `[1, 2, 3]`.
    public var display: String {
        switch self {
        case .int(let i): return String(i)
        case .double(let d): return Self.format(d)
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .list(let items): return "[" + items.map(\.display).joined(separator: ", ") + "]"
        }
    }

    static func format(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)"
    }

    /// Text as a value of `kind`: lists as `1,2,3` or `[1, 2, 3]`.
    static func parse(_ text: String, as kind: Parameter.Kind) -> ParameterValue? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let element = kind.element {
            var inner = Substring(t)
            if inner.hasPrefix("[") && inner.hasSuffix("]") { inner = inner.dropFirst().dropLast() }
            if inner.trimmingCharacters(in: .whitespaces).isEmpty { return .list([]) }
            let items = inner.split(separator: ",").map { parse(String($0), as: element) }
            guard items.allSatisfy({ $0 != nil }) else { return nil }
            return .list(items.map { $0! })
        }
        switch kind {
        case .int: return Int(t).map(ParameterValue.int)
        case .double: return Double(t).flatMap { $0.isFinite ? .double($0) : nil }
        case .bool: return t == "true" ? .bool(true) : t == "false" ? .bool(false) : nil
        case .string: return .string(t)
        default: return nil
        }
    }

    /// A YAML node as a value of `kind` (nil: it is not one).
    static func from(_ node: Node, as kind: Parameter.Kind) -> ParameterValue? {
        if let element = kind.element {
            guard case .sequence(let seq) = node else { return nil }
            let items = seq.map { from($0, as: element) }
            guard items.allSatisfy({ $0 != nil }) else { return nil }
            return .list(items.map { $0! })
        }
        guard case .scalar(let s) = node else { return nil }
        switch kind {
        case .string: return .string(s.string)
        case .bool: return node.bool.map(ParameterValue.bool)
        case .int: return s.style == .plain ? node.int.map(ParameterValue.int) : nil
        case .double:
            guard s.style == .plain else { return nil }
            if let i = node.int { return .double(Double(i)) }
            return node.float.flatMap { $0.isFinite ? .double($0) : nil }
        default: return nil
        }
    }

    /// The type a bare YAML value implies: a plain integer is an `Int`, a plain number a `Double`,
    /// `true`/`false` a `Bool`, anything else (or anything quoted) a `String`; a list of them, a list.
    static func inferKind(_ node: Node) -> Parameter.Kind? {
        switch node {
        case .scalar(let s):
            guard s.style == .plain else { return .string }
            if node.int != nil { return .int }
            if node.float != nil { return .double }
            if node.bool != nil { return .bool }
            return .string
        case .sequence(let seq):
            let kinds = Set(seq.compactMap(inferKind))
            if kinds.isEmpty || kinds == [.int] { return .ints }
            if kinds.isSubset(of: [.int, .double]) { return .doubles }
            if kinds == [.string] { return .strings }
            return nil
        default:
            return nil
        }
    }
}

/// Written as the JSON value itself (`64`, `0.01`, `"greedy"`, `[1, 2]`), as the report shows it.
extension ParameterValue: Codable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        case .list(let items): try c.encode(items)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else { self = .list(try c.decode([ParameterValue].self)) }
    }
}

/// `sweep:`: the parameter sets a notebook runs with, one page each plus a summary.
public struct Sweep: Codable, Sendable, Equatable {
    /// Each set: parameter name → value, in the order the names were written.
    public var sets: [[Assignment]]
    public var line: Int

    public struct Assignment: Codable, Sendable, Equatable, Hashable {
        public var name: String
        public var value: ParameterValue
    }

    /// `d=16,seed=1`: a set's name, its page's file name.
    static func label(_ set: [Assignment]) -> String {
        set.map { "\($0.name)=\($0.value.display)" }.joined(separator: ",")
    }
}

/// Which share of a sweep's sets each claim must hold in (`claims: all` or `claims: 0.9`).
public enum ClaimPolicy: Codable, Sendable, Equatable {
    case all
    case fraction(Double)

    func holds(_ passed: Int, of total: Int) -> Bool {
        switch self {
        case .all: return passed == total
        case .fraction(let f): return total == 0 || Double(passed) / Double(total) >= f - 1e-12
        }
    }

    var description: String {
        switch self {
        case .all: return "every set"
        case .fraction(let f): return "\(ParameterValue.format(f * 100))% of the sets"
        }
    }
}

/// The parameter set one run of a swept notebook used.
public struct SweepSet: Codable, Sendable, Equatable {
    public var index: Int
    public var count: Int
    public var assignments: [Sweep.Assignment]
    public var label: String { Sweep.label(assignments) }
}
