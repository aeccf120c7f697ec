import Foundation
import Yams

/// Yams's errors as a place and one line of problem, for `FILE:LINE: error: …` messages (their
/// own descriptions repeat the whole document).
enum YAMLErrorPlace {
    /// The 1-based line (of `yaml`) and the problem.
    static func describe(_ error: YamlError, in yaml: String) -> (line: Int, problem: String) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return (mark.line, context.map { "\(problem) (\($0.text))" } ?? problem)
        case .reader(let problem, _, _, _):
            return (1, problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Point at the key's last occurrence: the one that repeats it.
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            let last = lines.indices.last { i in
                duplicates.contains { key in
                    let t = lines[i].drop { $0 == " " }
                    return t.hasPrefix(key + ":") || t.hasPrefix("\"\(key)\":") || t.hasPrefix("'\(key)':")
                }
            }
            let keys = duplicates.sorted().map { "`\($0)`" }.joined(separator: ", ")
            return (last.map { $0 + 1 } ?? context.mark.line, "\(keys) is written twice in one mapping; keep one")
        default:
            return (1, "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)")
        }
    }
}
