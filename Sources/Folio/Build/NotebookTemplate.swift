import Foundation

/// `folio new NAME`: a notebook that shows every feature in use.
public enum NotebookTemplate {
    /// Writes `dir/NAME.md` and returns that path; `dir` is as messages name the folder, `folder` the folder itself.
    public static func create(name: String, in dir: String, folder: URL) throws -> String {
        let clean = name.hasSuffix(".md") ? String(name.dropLast(3)) : name
        guard !clean.isEmpty, !clean.contains(".."), !clean.hasPrefix("/") else {
            throw FolioError(file: name, "a notebook name is a path below \(dir)/ such as `my-note` or `topic/my-note`")
        }
        let path = "\(dir)/\(clean).md"
        let file = folder.appendingPathComponent(clean + ".md")
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw FolioError(file: path, "already exists; choose another name or edit it")
        }
        try AtomicFile.write(text(title: clean.split(separator: "/").last.map(String.init) ?? clean), to: file)
        return path
    }

    static func text(title: String) -> String {
        """
        ---
        title: \(title.replacingOccurrences(of: "-", with: " ").capitalized)
        description: One sentence saying what this notebook finds.
        tags: [example]
        date: \(ISO8601DateFormatter.string(from: Date(), timeZone: .init(identifier: "UTC")!, formatOptions: [.withFullDate]))
        ---

        ## The claim

        State the claim in words and in math: the sum of the first $n$ odd numbers is a square,
        $$\\sum_{k=1}^{n} (2k - 1) = n^2.$$ {#eq-odd}

        The identity @eq-odd is classical [@conway1996, ch. 2]; @fig-squares shows it.

        ```swift
        let ns = Array(1...30)
        let sums = ns.map { n in (1...n).map { 2 * $0 - 1 }.reduce(0, +) }
        print("first sums:", sums.prefix(5))
        ```

        ## Checking it

        Claims are checked every time the notebook runs; a failed claim fails the build.

        ```swift
        check(zip(ns, sums).allSatisfy { $0 * $0 == $1 }, "every sum is a square")
        check(Double(sums.last!).squareRoot(), near: 30, tolerance: 1e-12, "the 30th sum is 30²")
        ```

        ## A picture

        ```swift
        //| label: fig-squares
        //| caption: The sums lie on the parabola n².
        Figure(title: "Sums of odd numbers") {
            Scatter(x: ns.map(Double.init), y: sums.map(Double.init), label: "sum")
            Line(x: ns.map(Double.init), y: ns.map { Double($0 * $0) }, label: "n²", stroke: .dashed)
        }.xLabel("n").yLabel("sum")
        ```

        > [!NOTE]
        > Cells share names: later cells see `ns` and `sums`. The 30th sum, `{swift} sums.last!`,
        > is computed, not typed.

        ```bibtex
        @book{conway1996, author = {Conway, John H. and Guy, Richard K.}, title = {The Book of Numbers},
          publisher = {Springer}, year = {1996}}
        ```

        """
    }
}
