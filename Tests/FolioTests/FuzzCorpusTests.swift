import Foundation
import Testing
@testable import FolioFuzzTargets

/// Replays the committed fuzz corpus (`Fuzz/Corpus/<target>/`) through the same functions
/// libFuzzer drives in `make fuzz`, with their properties. Inputs that once crashed live there
/// (named `crash-…`), so they stay fixed without the sanitizer build.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fuzz/Corpus").standardizedFileURL

    @Test(arguments: FuzzTargets.all.keys.sorted())
    func corpusReplays(target: String) throws {
        let folder = Self.corpus.appendingPathComponent(target)
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        #expect(files.count >= 20, "the \(target) corpus should hold the seeds and what fuzzing found")
        let run = try #require(FuzzTargets.all[target])
        for file in files { run(try Data(contentsOf: file)) }
    }

    /// The markdown target's script oracle must see what a browser would run, and nothing else.
    @Test func scriptFinderSeesWhatABrowserRuns() {
        func finds(_ html: String) -> Bool { ScriptFinder.firstScript(in: Array(html.utf8)) != nil }
        #expect(finds("<p>a</p><SCRIPT>x</SCRIPT>"))
        #expect(finds("<img src=x onerror=alert(1)>"))
        #expect(finds("<a title='>' href=\"jav&#x61;script&colon;alert(1)\">x</a>"))
        #expect(finds("<a href=\" java\tscript:x\">x</a>"))
        #expect(finds("<iframe/src=x>"))
        #expect(!finds("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"))
        #expect(!finds("<details><summary<script=alert(&lt;script>cr"), "a tag named `summary<script=…` is not a script")
        #expect(!finds("<!-- <script> --><a href=\"https://example.org/javascript:\">ok</a>"))
        #expect(!finds("<code>onerror=alert(1)</code>"))
    }
}
