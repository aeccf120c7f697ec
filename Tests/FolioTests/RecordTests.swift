import Foundation
import Testing
import FolioWire

/// The wire format between a notebook program and the engine: every record survives encoding
/// and decoding, headers parse back, and garbled payloads are refused instead of misread.
@Suite struct RecordTests {
    static let samples: [Record] = [
        .cell(index: 3), .end, .value("42"), .html("<table><tr><td>1</td></tr></table>"), .svg("<svg></svg>"),
        .text("warning: 2 NaN points skipped\n"), .claim(Claim(text: "holds", passed: true, line: 12)),
        .claim(Claim(text: "fails — ünïcode", passed: false, detail: "got 1.0, expected 2.0", line: 7)),
        .inline(index: 2, text: "0.5\nwith a newline"), .error("uncaught error: boom"), .value(""),
    ]

    @Test(arguments: samples) func roundTrips(_ record: Record) throws {
        let bytes = record.encoded(nonce: "n0nce")
        let prefix = Array(Record.headerPrefix(nonce: "n0nce").utf8)
        #expect(bytes.starts(with: prefix))
        let newline = try #require(bytes.firstIndex(of: 10))
        let header = try #require(Record.parseHeader(Substring(decoding: bytes[prefix.count..<newline], as: UTF8.self)))
        #expect(header.kind == record.kind)
        #expect(header.length == bytes.count - newline - 1)
        #expect(Record(kind: header.kind, payload: Array(bytes[(newline + 1)...])) == record)
    }

    @Test func garbledRecordsAreRefused() {
        #expect(Record.parseHeader("claim") == nil)
        #expect(Record.parseHeader("unknown 3") == nil)
        #expect(Record.parseHeader("value -1") == nil)
        #expect(Record(kind: .cell, payload: Array("x".utf8)) == nil)
        #expect(Record(kind: .claim, payload: Array("{\"text\":".utf8)) == nil)
        #expect(Record(kind: .inline, payload: Array("no index".utf8)) == nil)
    }
}
