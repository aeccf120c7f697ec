import Foundation

extension Builder {
    /// `folio export`: the runs (from the cache when a build made them) as a Word document or as
    /// Jupyter notebooks, worded as the site words them. Nothing of the site is written.
    func export(_ state: inout BuildState) throws {
        guard case .export(let format) = options.command, let out = options.exportOutput else { return }
        guard state.errors.isEmpty else {
            log.message("folio: the build failed; nothing was exported")
            return
        }
        var site = SiteContext(entries: [], metadata: SiteMetadata(project: options.project?.file, versions: state.versions), mathInBrowser: true)
        site.overrides = state.theme
        site.book = state.book
        site.library = RunLibrary(state.runs)
        let exporter = NotebookExporter(renderer: PageRenderer(context: site, math: MathRenderer.Typeset()),
                                        flavour: format == .ipynb ? .jupyter : .pandoc, showsCode: options.exportsCode)
        let exported = Self.exportOrder(state.runs, wholeProject: options.inputs.isEmpty).map(exporter.export)
        switch format {
        case .docx, .markdown:
            let project = options.project
            var reference: URL?
            if format == .docx, let r = project?.file.docxReference, let project {
                reference = project.url(r.value)
                guard FileManager.default.fileExists(atPath: reference!.path) else {
                    throw FolioError(file: project.filePath, line: r.line, column: r.column,
                                     "`docx.reference`: \(r.value) does not exist; give a Word document (.docx) whose styles the export should use")
                }
            }
            let title = project?.file.title ?? (exported.count == 1 ? exported[0].title : "Notebooks")
            let date = PDFPrinter.buildDate(folder: context.folder, inputs: state.runs.map(\.notebook.file), environment: context.environment)
            let document = PandocExport(notebooks: exported, title: title, author: project?.file.author, date: date,
                                        referenceDocument: reference, environment: context.environment)
            if format == .docx {
                try document.write(to: context.url(out), scratch: context.state.exportFolder())
                log.note("folio: Word document written to \(out)")
            } else {
                try document.writeMarkdown(into: context.url(out), name: "report.md")
                log.note("folio: pandoc Markdown written to \(out)/report.md")
            }
        case .ipynb:
            let folder = context.url(out)
            for nb in exported {
                let file = folder.appendingPathComponent(String(nb.pagePath.dropLast(".html".count)) + ".ipynb")
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try AtomicFile.write(JupyterExport.notebook(nb, swiftVersion: state.versions.first), to: file)
            }
            log.note("folio: \(exported.count) Jupyter notebook\(exported.count == 1 ? "" : "s") written to \(out)/")
        }
    }

    /// The runs in the project's reading order (a sweep's sets after one another); drafts only
    /// when named on the command line.
    static func exportOrder(_ runs: [ExecutedNotebook], wholeProject: Bool) -> [ExecutedNotebook] {
        runs.filter { !wholeProject || !$0.notebook.frontMatter.draft }.sorted { a, b in
            if a.notebook.path == b.notebook.path { return (a.notebook.sweepSet?.label ?? "") < (b.notebook.sweepSet?.label ?? "") }
            return RenderedSite.readsBefore(a.notebook, b.notebook)
        }
    }
}
