import Foundation

/// A `check`/`expect` made by a notebook: what was claimed, and whether it held.
public struct Claim: Codable, Equatable, Sendable {
    public var text: String
    public var passed: Bool
    /// The compared values ("got 0.49, expected 0.5 ± 0.01"); nil for a plain condition that held.
    public var detail: String?
    /// The `.md` line of the call.
    public var line: Int

    public init(text: String, passed: Bool, detail: String? = nil, line: Int) {
        self.text = text
        self.passed = passed
        self.detail = detail
        self.line = line
    }
}

extension Claim {
    /// The claim as a record's payload (JSON).
    public var encoded: [UInt8] { Array((try? JSONEncoder().encode(self)) ?? Data()) }

    public init?(encoded: [UInt8]) {
        guard let claim = try? JSONDecoder().decode(Claim.self, from: Data(encoded)) else { return nil }
        self = claim
    }
}
