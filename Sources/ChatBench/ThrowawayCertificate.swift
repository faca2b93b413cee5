import ChatProcess

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A self-signed certificate for `localhost`, 127.0.0.1 and ::1 with its RSA 2048 key, for a spawned TLS-only
/// server: made by the `openssl` tool (`openssl req -x509`) in a fresh temporary directory, and removed once the
/// server and the bench's client context have read it.
struct ThrowawayCertificate {
    /// The temporary directory holding both files.
    let directory: String
    var certificateFile: String { directory + "/cert.pem" }
    var keyFile: String { directory + "/key.pem" }
    private var logFile: String { directory + "/openssl.log" }

    /// The spawned server's TLS arguments: TLS only, on the port `ServerProcess` picks (`{port}`).
    var serverArguments: [String] {
        ["--tls-cert", certificateFile, "--tls-key", keyFile, "--tls-port", "{port}", "--no-plain"]
    }

    /// Makes the directory (`mkdtemp(3)` under `$TMPDIR` or /tmp) and the certificate in it.
    init() throws(BenchError) {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/chat-bench-tls.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw BenchError("temporary directory in \(base): \(String(cString: strerror(errno)))")
        }
        directory = String(cString: made)
        do {
            try generate()
        } catch {
            remove()
            throw error
        }
    }

    /// Deletes both files and the directory; calling it again does nothing.
    func remove() {
        for file in [certificateFile, keyFile, logFile] { unlink(file) }
        rmdir(directory)
    }

    private func generate() throws(BenchError) {
        let tool = Self.findTool("openssl")
        let command = [
            tool, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1", "-keyout", keyFile, "-out", certificateFile,
        ]
        let status: ServerProcess.ExitStatus?
        do {
            status = try ServerProcess.run(command, errorLog: logFile, within: .seconds(30))
        } catch {
            throw BenchError("cannot make a certificate: \(error.description)")
        }
        guard status == .exited(0) else {
            let outcome = status.map(\.description) ?? "no end within 30 s"
            throw BenchError("\(tool) req -x509 failed (\(outcome)): \(Self.firstLine(of: logFile))")
        }
        // The server refuses a key that group or others may read.
        chmod(keyFile, 0o600)
    }

    /// The first executable `name` on `$PATH` (posix_spawn does not search it), else /usr/bin/`name`.
    private static func findTool(_ name: String) -> String {
        let path = getenv("PATH").map { String(cString: $0) } ?? ""
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return "/usr/bin/\(name)"
    }

    /// The first line of a small text file, for an error message; empty when there is none.
    private static func firstLine(of file: String) -> String {
        guard let stream = fopen(file, "r") else { return "" }
        defer { fclose(stream) }
        var line = [CChar](repeating: 0, count: 512)
        guard fgets(&line, CInt(line.count), stream) != nil else { return "" }
        return String(decoding: line.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
