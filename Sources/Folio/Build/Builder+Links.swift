import Foundation

extension Builder {
    /// `folio check --links`: every link of the published site must hold. A broken one is an
    /// error at the `.md` line that wrote it (the notebook fails, exit 1); a redirect is a warning.
    /// Links on pages no notebook wrote (the index, a theme's templates) are reported at the page.
    func checkLinks(_ state: inout BuildState) {
        guard let mode = options.linkCheck, state.published, let out = options.output else { return }
        let check = LinkCheck(site: context.url(out))
        var (problems, web) = check.checkInternal()
        if mode == .all && !web.isEmpty {
            let external = ExternalLinks(cacheFile: context.state.linkMemo, environment: context.environment)
            log.note("folio: checking \(web.count) web address\(web.count == 1 ? "" : "es")")
            for (link, outcome) in zip(web, external.check(web.map(\.url))) {
                guard let (severity, message) = ExternalLinks.problem(outcome, tries: external.retries + 1) else { continue }
                for page in link.pages { problems.append(LinkProblem(page: page, url: link.url, severity: severity, message: message)) }
            }
        }
        var byPage: [String: Int] = [:]
        for (i, run) in state.runs.enumerated() { byPage[run.notebook.pagePath] = i }
        let summaries = Dictionary(state.summaries.map { ($0.notebook.pagePath, $0.notebook) }, uniquingKeysWith: { a, _ in a })
        var sources: [String: [Substring]] = [:]
        var reported: Set<String> = []
        var broken = 0
        for p in problems {
            let message = "link `\(p.url)`: \(p.message)"
            if p.severity == .error { broken += 1 }
            guard let nb = byPage[p.page].map({ state.runs[$0].notebook }) ?? summaries[p.page] else {
                let d = Diagnostic(file: out + "/" + p.page, line: 0, severity: p.severity, kind: .link, message: message)
                state.siteProblems.append(d)
                log.message(d.description)
                continue
            }
            let line = nb.links.first(where: { $0.url == p.url })?.line ?? Self.line(of: p.url, in: nb.file.path, &sources)
            // A sweep's sets share their prose: each of its broken links is reported once.
            guard reported.insert("\(nb.path)|\(line)|\(message)").inserted else { continue }
            let d = Diagnostic(file: nb.path, line: line, severity: p.severity, kind: .link, message: message)
            if let i = byPage[p.page] { state.runs[i].diagnostics.append(d) } else { state.siteProblems.append(d) }
            log.message(d.description)
        }
        log.note("folio: links checked\(mode == .internal ? " (inside the site only)" : ""): \(broken == 0 ? "none broken" : "\(broken) broken")")
    }

    /// The first line of the `.md` that holds `url` (a link written as raw HTML, or in a
    /// bibliography's text); 0 when none does.
    static func line(of url: String, in path: String, _ sources: inout [String: [Substring]]) -> Int {
        if sources[path] == nil {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            sources[path] = text.split(separator: "\n", omittingEmptySubsequences: false)
        }
        let escaped = url.replacingOccurrences(of: "&", with: "&amp;")
        return (sources[path]!.firstIndex { $0.contains(url) || $0.contains(escaped) }).map { $0 + 1 } ?? 0
    }
}
