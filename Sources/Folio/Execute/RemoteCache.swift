import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A second level for the execution cache, shared between machines over HTTP with the protocol
/// of Bazel's remote cache: `GET`/`PUT /ac/<key>` for the action record (what the entry was made
/// from, and the hash of its content) and `GET`/`PUT /cas/<sha256>` for the content, so any server
/// that speaks it — bazel-remote, or nginx with WebDAV `PUT` — is the store.
///
/// It can only make a build faster, never fail it: a miss, a refused connection, a time-out or a
/// 5xx answer means "execute", with one warning per build, and the server is not asked again in
/// that build; content whose hash is not its name is
/// ignored (and written again after the run); an entry made with another toolchain, notebook
/// library or packages is a miss. Credentials come from `FOLIO_CACHE_TOKEN` (a bearer token) or
/// a netrc file, never from `folio.yml`, and are never printed.
public final class RemoteCache: @unchecked Sendable {
    let base: URL
    let timeout: Double
    private let authorization: String?
    private let warn: @Sendable (String) -> Void
    private let lock = NSLock()
    private var warned = false
    /// Set after the server failed once (down, slow, or erring): the rest of the build does
    /// without it rather than waiting on every notebook.
    private var disabled = false
    private let session: URLSession

    /// What an action record says the entry was made with; compared with the local values.
    struct Inputs: Codable, Equatable {
        var folio: String
        var swiftc: String
        var runtime: String
        var project: String
    }

    struct ActionRecord: Codable {
        var format: Int
        var content: String
        var size: Int
        var inputs: Inputs
    }

    static let format = 1

    /// `url` as given (`http://host:port/prefix`); nil with an error message when it is not one.
    public static func parse(_ text: String) -> Result<URL, FolioError> {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            return .failure(FolioError(file: "--cache", "`\(text)` is not an http:// or https:// address"))
        }
        if url.user != nil || url.password != nil {
            return .failure(FolioError(file: "--cache", "the cache address carries credentials; give them in FOLIO_CACHE_TOKEN or a netrc file instead"))
        }
        return .success(url)
    }

    init(base: URL, timeout: Double? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
         warn: @escaping @Sendable (String) -> Void) {
        self.base = base
        self.timeout = timeout ?? environment["FOLIO_CACHE_TIMEOUT"].flatMap(Double.init) ?? 10
        self.warn = warn
        if let token = environment["FOLIO_CACHE_TOKEN"], !token.isEmpty {
            authorization = "Bearer \(token)"
        } else if let (user, password) = Self.netrc(host: base.host ?? "", environment: environment) {
            authorization = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        } else {
            authorization = nil
        }
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = self.timeout
        config.timeoutIntervalForResource = self.timeout * 3
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: config)
    }

    // MARK: - Entries

    /// The entry stored under `key`, checked: its action record's inputs are this machine's, and
    /// its content hashes to the name the record gives. Nil otherwise.
    func load(key: String, inputs: Inputs) -> Data? {
        guard let recordData = get("ac/\(key)") else { return nil }
        guard let record = try? JSONDecoder().decode(ActionRecord.self, from: recordData), record.format == Self.format else {
            warnOnce("the shared cache's record for \(key.prefix(12))… is not one Folio wrote; it is ignored", disabling: false)
            return nil
        }
        guard record.inputs == inputs else { return nil }  // another toolchain, library or packages: a miss
        guard let content = get("cas/\(record.content)") else { return nil }
        guard content.count == record.size, SHA256.hex(content) == record.content else {
            warnOnce("the shared cache returned a damaged entry for \(key.prefix(12))… (its hash does not match); it is ignored and will be written again", disabling: false)
            return nil
        }
        return content
    }

    /// Stores an entry: its content first, then the record that points at it.
    func store(key: String, content: Data, inputs: Inputs) {
        let hash = SHA256.hex(content)
        guard put("cas/\(hash)", content) else { return }
        let record = ActionRecord(format: Self.format, content: hash, size: content.count, inputs: inputs)
        if let data = try? JSONEncoder().encode(record) { _ = put("ac/\(key)", data) }
    }

    // MARK: - HTTP

    func url(_ path: String) -> URL {
        base.appendingPathComponent(path)
    }

    func get(_ path: String) -> Data? {
        var request = URLRequest(url: url(path))
        request.httpMethod = "GET"
        guard let (status, data) = send(request) else { return nil }
        switch status {
        case 200: return data
        case 404: return nil
        default:
            warnOnce("the shared cache at \(describe(base)) answered \(status) to a read; running without it where needed")
            return nil
        }
    }

    @discardableResult
    func put(_ path: String, _ body: Data) -> Bool {
        var request = URLRequest(url: url(path))
        request.httpMethod = "PUT"
        request.httpBody = body
        request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        guard let (status, _) = send(request) else { return false }
        guard (200..<300).contains(status) else {
            warnOnce("the shared cache at \(describe(base)) answered \(status) to a write; results are kept locally only")
            return false
        }
        return true
    }

    /// One request, synchronously; nil (after one warning per build) when it could not be made.
    private func send(_ request: URLRequest) -> (Int, Data)? {
        lock.lock()
        let off = disabled
        lock.unlock()
        if off { return nil }
        var request = request
        request.timeoutInterval = timeout
        request.setValue(FolioVersion.userAgent, forHTTPHeaderField: "User-Agent")
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        let done = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var result: (Int, Data)?; var error: Error? }
        let box = Box()
        let task = session.dataTask(with: request) { data, response, error in
            if let error { box.error = error } else if let http = response as? HTTPURLResponse {
                // A body shorter than its Content-Length is a damaged answer, not data.
                let expected = http.expectedContentLength
                if expected >= 0, let data, Int64(data.count) != expected {
                    box.error = URLError(.networkConnectionLost)
                } else {
                    box.result = (http.statusCode, data ?? Data())
                }
            }
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout * 3 + 1) == .timedOut {
            task.cancel()
            warnOnce("the shared cache at \(describe(base)) did not answer in \(Int(timeout)) s; running without it where needed")
            return nil
        }
        if let error = box.error {
            warnOnce("the shared cache at \(describe(base)) could not be reached (\(error.localizedDescription)); running without it where needed")
            return nil
        }
        return box.result
    }

    /// The address as messages show it: never with credentials (it cannot have any), never a query.
    func describe(_ url: URL) -> String {
        var c = URLComponents(url: url, resolvingAgainstBaseURL: false)
        c?.query = nil
        return c?.string ?? url.absoluteString
    }

    private func warnOnce(_ message: String, disabling: Bool = true) {
        lock.lock()
        let first = !warned
        warned = true
        if disabling { disabled = true }
        lock.unlock()
        if first { warn("folio: warning: \(message)") }
    }

    // MARK: - Credentials

    /// `machine HOST login USER password PASS` from `$NETRC` or `~/.netrc`.
    static func netrc(host: String, environment: [String: String]) -> (String, String)? {
        let path = environment["NETRC"] ?? (environment["HOME"].map { $0 + "/.netrc" } ?? "")
        guard !path.isEmpty, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let words = text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        var i = 0
        var current: String?
        var login: String?, password: String?
        while i < words.count {
            switch words[i] {
            case "machine":
                if current == host, let login, let password { return (login, password) }
                current = i + 1 < words.count ? words[i + 1] : nil
                login = nil; password = nil
                i += 2
            case "default":
                if current == host, let login, let password { return (login, password) }
                current = host  // applies to any host not named before
                i += 1
            case "login": login = i + 1 < words.count ? words[i + 1] : nil; i += 2
            case "password": password = i + 1 < words.count ? words[i + 1] : nil; i += 2
            default: i += 1
            }
        }
        if current == host, let login, let password { return (login, password) }
        return nil
    }
}
