import Testing
@testable import Folio

@Suite struct BibTeXTests {
    @Test func commonEntries() throws {
        let text = """
        @string{jmlr = "Journal of Machine Learning Research"}
        @comment{ignored {with braces}}
        @article{smith2020,
          author = {Smith, Jane and Doe, John and Roe, Richard},
          title = {On {Nested} {B}races},
          journal = jmlr # ", vol. 3",
          year = 2020,
          month = jan,
        }
        @book{knuth, author = "Donald E. Knuth", title = "The {TeX}book", publisher = {Addison--Wesley}, year = "1984"}
        @misc{arx, title = {A preprint}, eprint = {2212.13881}, archivePrefix = {arXiv}, year = 2022}
        """
        let entries = try BibTeXParser.parse(text)
        #expect(entries.map(\.key) == ["smith2020", "knuth", "arx"])
        let s = entries[0]
        #expect(s.type == "article" && s.line == 3)
        #expect(s["title"] == "On Nested Braces")
        #expect(s["journal"] == "Journal of Machine Learning Research, vol. 3")
        #expect(s["month"] == "January")
        #expect(s.shortAuthors == "Smith et al.")
        #expect(s.authorList == "Jane Smith, John Doe and Richard Roe")
        #expect(entries[1].shortAuthors == "Knuth" && entries[1]["publisher"] == "Addison–Wesley" && entries[1].year == "1984")
        #expect(entries[2].link == "https://arxiv.org/abs/2212.13881")
    }

    @Test func malformedEntriesNameTheirLine() {
        let cases: [(String, Int, String)] = [
            ("@article{a, title = {unclosed\n\n", 1, "unbalanced"),
            ("@article{a, title = {x}\n\n@book{b, title={x}}", 3, "expected `,` or the end of entry `a`"),
            ("\n\n@article{k, title = }", 3, "expected a value"),
            ("@article{k, title = {x} year = 1}", 1, "expected `,`"),
            ("@article{, title = {x}}", 1, "no citation key"),
            ("\n@misc{k, journal = undefinedstring}", 2, "unknown @string"),
        ]
        for (text, line, message) in cases {
            do {
                _ = try BibTeXParser.parse(text)
                Issue.record("expected an error for \(text)")
            } catch let e as BibTeXParser.ParseError {
                #expect(e.line == line, "\(text)")
                #expect(e.message.contains(message), "\(e.message)")
            } catch { Issue.record("wrong error") }
        }
    }
}
