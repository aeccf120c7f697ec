import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The web addresses a site links to, each asked once per check: `HEAD` (a `GET` when the server
/// refuses `HEAD`), redirects not followed but reported, a bounded number at once, each with a
/// timeout and retries for answers that may pass (a time-out, a refused connection, 429, 5xx).
///
/// Answers that hold (2xx, and redirects, which still lead somewhere) are remembered in
/// `.folio/links.json` for `maxAge` seconds, so a CI run does not ask the same servers again every
/// time; broken ones are always asked again, so a link fixed on the other side passes at once.
struct ExternalLinks {
    /// What one address gave.
    enum Outcome: Codable, Equatable, Sendable {
        case ok(status: Int)
        case redirect(status: Int, location: String)
        case broken(status: Int)
        /// No answer: `reason` says why (a time-out, a refused connection, a bad address).
        case unreachable(reason: String)
    }

    var cacheFile: URL?
    /// Seconds an answer that held is trusted (`FOLIO_LINK_CACHE_AGE`, default one day).
    var maxAge: TimeInterval
    /// Seconds to wait for one answer (`FOLIO_LINK_TIMEOUT`, default 10).
    var timeout: TimeInterval
    /// Tries after the first for answers that may pass (`FOLIO_LINK_RETRIES`, default 2).
    var retries: Int
    /// Addresses asked at once.
    var concurrency = 8
    var now: () -> Date = Date.init

    init(cacheFile: URL?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.cacheFile = cacheFile
        maxAge = environment["FOLIO_LINK_CACHE_AGE"].flatMap(Double.init) ?? 86_400
        timeout = environment["FOLIO_LINK_TIMEOUT"].flatMap(Double.init) ?? 10
        retries = max(0, environment["FOLIO_LINK_RETRIES"].flatMap(Int.init) ?? 2)
    }

    /// The remembered answers: address → outcome and when it was had.
    struct Memo: Codable {
        var version = 1
        var entries: [String: Entry] = [:]
        struct Entry: Codable { var outcome: Outcome; var checked: Date }
    }

    /// Each address's outcome, in the order given.
    func check(_ urls: [String]) -> [Outcome] {
        var memo = loadMemo()
        let fresh = now()
        let known: [Outcome?] = urls.map { url in
            guard let e = memo.entries[url], fresh.timeIntervalSince(e.checked) < maxAge else { return nil }
            return e.outcome
        }
        let asked = urls.indices.filter { known[$0] == nil }
        let session = Self.session(timeout: timeout)
        let answers = Parallel.map(asked.map { urls[$0] }, jobs: concurrency) { ask($0, session: session) }
        session.invalidateAndCancel()
        var outcomes = known
        for (i, outcome) in zip(asked, answers) {
            outcomes[i] = outcome
            switch outcome {
            case .ok, .redirect: memo.entries[urls[i]] = Memo.Entry(outcome: outcome, checked: fresh)
            case .broken, .unreachable: memo.entries[urls[i]] = nil
            }
        }
        if !asked.isEmpty { saveMemo(memo) }
        return outcomes.map { $0! }
    }

    func loadMemo() -> Memo {
        guard let cacheFile, let data = try? Data(contentsOf: cacheFile),
              let memo = try? Self.decoder.decode(Memo.self, from: data), memo.version == 1 else { return Memo() }
        return memo
    }

    func saveMemo(_ memo: Memo) {
        guard let cacheFile, let data = try? Self.encoder.encode(memo) else { return }
        try? FileManager.default.createDirectory(at: cacheFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? AtomicFile.write(data, to: cacheFile)
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys]
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    /// One address, with retries for answers that may pass on another try.
    func ask(_ url: String, session: URLSession) -> Outcome {
        guard let address = URL(string: url), address.host != nil else { return .unreachable(reason: "not a valid address") }
        var outcome = Outcome.unreachable(reason: "not asked")
        for attempt in 0...retries {
            if attempt > 0 { Thread.sleep(forTimeInterval: min(2, 0.25 * Double(1 << (attempt - 1)))) }
            outcome = once(address, session: session)
            guard Self.mayPass(outcome) else { break }
        }
        return outcome
    }

    static func mayPass(_ outcome: Outcome) -> Bool {
        switch outcome {
        case .unreachable: return true
        case .broken(let status): return status == 429 || status >= 500
        case .ok, .redirect: return false
        }
    }

    /// `HEAD`, then `GET` when the server does not do `HEAD` (405, 501) or refuses it (403).
    func once(_ url: URL, session: URLSession) -> Outcome {
        let head = request(url, method: "HEAD", session: session)
        if case .broken(let status) = head, [403, 405, 501].contains(status) {
            return request(url, method: "GET", session: session)
        }
        return head
    }

    func request(_ url: URL, method: String, session: URLSession) -> Outcome {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue(FolioVersion.userAgent, forHTTPHeaderField: "User-Agent")
        final class Box: @unchecked Sendable { var outcome: Outcome = .unreachable(reason: "no answer") }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { _, response, error in
            if let http = response as? HTTPURLResponse {
                let status = http.statusCode
                if (200..<300).contains(status) {
                    box.outcome = .ok(status: status)
                } else if (300..<400).contains(status), let location = http.value(forHTTPHeaderField: "Location") {
                    box.outcome = .redirect(status: status, location: URL(string: location, relativeTo: url)?.absoluteString ?? location)
                } else {
                    box.outcome = .broken(status: status)
                }
            } else if let error = error as? URLError {
                box.outcome = .unreachable(reason: error.code == .timedOut ? "no answer in \(Self.seconds(timeout))" : error.localizedDescription)
            } else if let error {
                box.outcome = .unreachable(reason: error.localizedDescription)
            }
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout + 1) == .timedOut {
            task.cancel()
            return .unreachable(reason: "no answer in \(Self.seconds(timeout))")
        }
        return box.outcome
    }

    static func seconds(_ t: TimeInterval) -> String {
        t == t.rounded() ? "\(Int(t)) s" : "\(t) s"
    }

    /// A session that reports redirects instead of following them.
    static func session(timeout: TimeInterval) -> URLSession {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = timeout
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.httpMaximumConnectionsPerHost = 4
        return URLSession(configuration: config, delegate: NoRedirects(), delegateQueue: nil)
    }

    final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
            completionHandler(nil)
        }
    }

    /// What a page's reader is told of an outcome, or nil when the link holds.
    static func problem(_ outcome: Outcome, tries: Int) -> (Diagnostic.Severity, String)? {
        switch outcome {
        case .ok: return nil
        case .redirect(let status, let location):
            return (.warning, "it redirects (\(status)) to \(location); link there directly")
        case .broken(let status):
            return (.error, "the server answered \(status) \(HTTPURLResponse.localizedString(forStatusCode: status))")
        case .unreachable(let reason):
            return (.error, "it could not be reached (\(reason)\(tries > 1 ? ", \(tries) tries" : ""))")
        }
    }
}
