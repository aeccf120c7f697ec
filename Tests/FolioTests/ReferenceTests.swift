import Foundation
import Testing
@testable import Folio

/// The guide's reference pages come from the readers' own key tables, so a key the code accepts
/// is a key the guide lists, and nothing else.
struct ReferenceTests {
    @Test func everyKeyTheReadersAcceptIsInItsPage() {
        let project = ReferencePages.projectFile()
        for key in ProjectFile.Key.allCases { #expect(project.contains("| `\(key.rawValue)` |"), "folio.yml: \(key)") }
        let front = ReferencePages.frontMatter()
        for key in FrontMatter.Key.allCases { #expect(front.contains("| `\(key.rawValue)` |"), "front matter: \(key)") }
        #expect(FrontMatter.knownKeys == Set(FrontMatter.Key.allCases.map(\.rawValue)))
        let options = ReferencePages.cellOptions()
        for option in CellOptions.known { #expect(options.contains("| `\(option.name)` |")) }
        let exits = ReferencePages.exitStatus()
        for code in ExitStatus.allCases { #expect(exits.contains("| \(code.rawValue) | \(code.meaning.replacingOccurrences(of: "|", with: "\\|")) |")) }
    }

    @Test func aKeyAddedToTheTableAppearsInTheGuide() throws {
        let added = KeyDescription(name: "made-up", value: "a | b", meaning: "a key this test adds")
        let page = ReferencePages.projectFile(keys: ProjectFile.keyDescriptions + [added])
        #expect(page.contains("| `made-up` | a \\| b | a key this test adds |"))
        // The page is a notebook the guide builds: Folio reads its front matter and renders its table.
        let dir = TestSupport.temporaryDirectory("reference")
        TestSupport.write(page, to: dir.appendingPathComponent("folio-yml.md"))
        let r = try TestSupport.runFolio(["build", "folio-yml.md", "--jobs", "1"], in: dir)
        #expect(r.status == 0, "\(r.output)")
        let html = TestSupport.read(dir.appendingPathComponent("site/folio-yml.html"))
        #expect(html.contains("<title>folio.yml keys"))
        #expect(html.contains("<td><code>made-up</code></td>"))
        #expect(html.contains("<td>a | b</td>"))
    }

    @Test func theCommandLinePageFencesHelpThatMentionsFences() {
        let page = ReferencePages.commandLine([(name: "folio", help: "cells are ```swift blocks")])
        #expect(page.contains("````text\ncells are ```swift blocks\n````"))
    }
}
