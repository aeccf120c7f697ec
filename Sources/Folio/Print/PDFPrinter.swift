import Foundation

/// Paper sizes a report prints on.
public enum Paper: String, Sendable, CaseIterable, Codable {
    case a4, letter

    /// Width and height in inches, as `Page.printToPDF` takes them.
    var inches: (width: Double, height: Double) {
        switch self {
        case .a4: return (210 / 25.4, 297 / 25.4)
        case .letter: return (8.5, 11)
        }
    }
}

/// Prints pages to PDF through one Chromium, `jobs` at a time, each within a timeout, and makes
/// the bytes reproducible: Chromium's PDFs differ between runs only in their creation and
/// modification dates, which are set to the build's date (`SOURCE_DATE_EPOCH`, else the last
/// commit's time, else the newest input's modification time).
struct PDFPrinter {
    let chromium: Chromium
    let paper: Paper
    let date: Date
    var timeout: Double = 120

    /// The `Page.printToPDF` parameters: the paper, backgrounds (claim badges, code), an outline
    /// from the headings; margins, running headers and page numbers come from the print
    /// stylesheet's `@page` rules.
    var options: [String: Any] {
        ["paperWidth": paper.inches.width, "paperHeight": paper.inches.height, "printBackground": true,
         "marginTop": 0, "marginBottom": 0, "marginLeft": 0, "marginRight": 0, "preferCSSPageSize": false,
         "displayHeaderFooter": false, "generateDocumentOutline": true, "transferMode": "ReturnAsBase64"]
    }

    func print(_ page: URL) throws -> Data {
        Self.fixingDates(try chromium.printPDF(page, options: options, timeout: timeout), to: date)
    }

    func print(_ pages: [URL], jobs: Int) -> [Result<Data, Error>] {
        Parallel.map(pages, jobs: jobs) { page in Result { try print(page) } }
    }

    /// `/CreationDate (D:20261201113833+00'00')` and `/ModDate` set to `date`, in place: the
    /// replacement has the same length, so the cross-reference offsets stay right.
    static func fixingDates(_ data: Data, to date: Date) -> Data {
        var bytes = [UInt8](data)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        let stamp = Array((formatter.string(from: date) + "+00'00'").utf8)
        for key in ["/CreationDate (D:", "/ModDate (D:"] {
            let needle = Array(key.utf8)
            var from = 0
            while let at = bytes.firstIndex(of: needle, from: from) {
                let start = at + needle.count
                // 14 digits, then `Z` or `+HH'MM'`/`-HH'MM'`.
                guard start + 21 <= bytes.count, bytes[start..<start + 14].allSatisfy({ $0 >= 48 && $0 <= 57 }),
                      [43, 45].contains(bytes[start + 14]) else { from = start; continue }
                bytes.replaceSubrange(start..<start + 21, with: stamp)
                from = start + 21
            }
        }
        return Data(bytes)
    }

    /// The date a build's PDFs carry: `SOURCE_DATE_EPOCH`, else the time of the last commit of the
    /// git repository `folder` is in, else the newest modification time of `inputs`.
    static func buildDate(folder: URL, inputs: [URL], environment: [String: String]) -> Date {
        if let s = environment["SOURCE_DATE_EPOCH"], let t = Double(s) { return Date(timeIntervalSince1970: t) }
        if let commit = GitCommit.of(folder) { return commit.date }
        let times = inputs.compactMap { (try? FileManager.default.attributesOfItem(atPath: $0.path))?[.modificationDate] as? Date }
        return times.max() ?? Date(timeIntervalSince1970: 0)
    }
}

/// The commit a report was built from, when its project is in a git repository.
struct GitCommit {
    var hash: String
    var date: Date
    /// Whether the work tree had changes not in the commit.
    var dirty: Bool

    static func of(_ folder: URL) -> GitCommit? {
        guard let git = Executable.onPath("git"),
              let r = try? Subprocess.run(git, arguments: ["-C", folder.path, "log", "-1", "--format=%H %ct"], timeout: 10),
              r.status == 0 else { return nil }
        let parts = String(decoding: r.stdout, as: UTF8.self).split(separator: " ")
        guard parts.count == 2, let t = Double(parts[1].trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        let status = try? Subprocess.run(git, arguments: ["-C", folder.path, "status", "--porcelain", "--untracked-files=no"], timeout: 10)
        return GitCommit(hash: String(parts[0]), date: Date(timeIntervalSince1970: t), dirty: !(status?.stdout.isEmpty ?? true))
    }
}
