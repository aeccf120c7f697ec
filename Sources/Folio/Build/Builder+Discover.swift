import Foundation

extension Builder {
    /// Finds the notebooks named by `inputs` (relative to `folder`): files as given,
    /// folders searched for `*.md`.
    public static func discover(_ inputs: [String], from folder: URL) throws -> [Source] {
        var sources: [Source] = []
        let fm = FileManager.default
        for input in inputs {
            var isDir: ObjCBool = false
            let base = input.hasPrefix("/") ? URL(fileURLWithPath: input) : folder.appendingPathComponent(input)
            guard fm.fileExists(atPath: base.path, isDirectory: &isDir) else {
                throw FolioError(file: input, "no such file or folder; pass a notebook (.md) or a folder of them")
            }
            if !isDir.boolValue {
                sources.append(Source(url: base, path: input, relativePath: base.lastPathComponent))
                continue
            }
            var found: [Source] = []
            let keys: [URLResourceKey] = [.isDirectoryKey]
            guard let walker = fm.enumerator(at: base, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]) else { continue }
            let basePath = base.standardizedFileURL.path
            for case let url as URL in walker {
                let name = url.lastPathComponent
                if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                    if name.hasPrefix("_") || name == "node_modules" { walker.skipDescendants() }
                    continue
                }
                guard name.hasSuffix(".md"), !name.hasPrefix("_") else { continue }
                var rel = String(url.standardizedFileURL.path.dropFirst(basePath.count))
                while rel.hasPrefix("/") { rel.removeFirst() }
                let shown = (input.hasSuffix("/") ? String(input.dropLast()) : input) + "/" + rel
                found.append(Source(url: url, path: shown, relativePath: rel))
            }
            sources += found.sorted { $0.relativePath < $1.relativePath }
        }
        var seen: [String: String] = [:]
        for s in sources {
            if let other = seen[s.relativePath] {
                throw FolioError(file: s.path, "would be written to the same page as \(other); rename one of them")
            }
            seen[s.relativePath] = s.path
        }
        return sources
    }
}
