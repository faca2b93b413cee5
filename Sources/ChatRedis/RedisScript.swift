/// A Lua script for `EVALSHA`, named by the SHA-1 of its source as Redis names it (`SCRIPT LOAD` returns the
/// same digest).
public struct RedisScript: Equatable, Hashable, Sendable {
    /// The Lua source.
    public let source: String
    /// The lowercase hex SHA-1 of the source: the name `EVALSHA` takes.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(source.utf8)
    }
}

extension RedisConnection {
    /// Runs `script` with `EVALSHA`; when the server does not have it (`NOSCRIPT`, e.g. after a restart or
    /// `SCRIPT FLUSH`), sends `EVAL` with the source, whose reply `completion` then gets.
    ///
    /// The fallback is sent when the `NOSCRIPT` reply arrives, so commands pipelined meanwhile run before it.
    /// Where order matters (numbering messages), call `load(_:)` first after connecting: the `SCRIPT LOAD` runs
    /// before every command sent after it, and no `EVALSHA` then meets `NOSCRIPT`.
    public func evaluate(
        _ script: RedisScript, keys: [[UInt8]] = [], arguments: [[UInt8]] = [], completion: @escaping Completion
    ) throws(RedisError) {
        let tail = [Array(String(keys.count).utf8)] + keys + arguments
        try send([Array("EVALSHA".utf8), Array(script.sha1.utf8)] + tail) { [weak self] result in
            guard case .success(.error(let message)) = result, message.hasPrefix("NOSCRIPT"), let self else {
                completion(result)
                return
            }
            do throws(RedisError) {
                try send([Array("EVAL".utf8), Array(script.source.utf8)] + tail, completion: completion)
            } catch {
                completion(.failure(error))
            }
        }
    }

    /// Text keys and arguments, sent as UTF-8.
    public func evaluate(
        _ script: RedisScript, keys: [String], arguments: [String] = [], completion: @escaping Completion
    ) throws(RedisError) {
        try evaluate(
            script, keys: keys.map { Array($0.utf8) }, arguments: arguments.map { Array($0.utf8) },
            completion: completion)
    }

    /// Loads `script` into the server's script cache (`SCRIPT LOAD`); the reply is its SHA-1.
    public func load(_ script: RedisScript, completion: @escaping Completion = { _ in }) throws(RedisError) {
        try send(["SCRIPT", "LOAD", script.source], completion: completion)
    }
}
