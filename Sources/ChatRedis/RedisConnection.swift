import CHiredis
import ChatSocket

/// One connection to Redis through hiredis's asynchronous API, driven by the caller's own `select()` loop: no
/// thread, and no call that waits.
///
/// hiredis tells the connection, through its event hooks (`ev.addRead`, `ev.delRead`, `ev.addWrite`,
/// `ev.delWrite`, `ev.cleanup`), which readiness it wants; the loop reads `descriptor`, `wantsRead` and
/// `wantsWrite` before each `select()` and calls `readable()` / `writable()` after it (or uses
/// `register(read:write:)` and `handle(read:write:)`, which do exactly that).
///
/// Commands may be sent at once, before the non-blocking connect has finished: hiredis buffers them. Each reply
/// reaches its completion in the order the commands were sent. User code never runs inside hiredis: the hooks
/// only record, and completions, `onConnect` and `onClose` run after hiredis has returned, at the end of the
/// call that received them. So a completion may send more commands or close the connection.
///
/// hiredis owns its context and frees it after a drop, after `close()`, or after a failed connect; every
/// completion still waiting is then called with the reason, and `onClose` last. A closed connection stays
/// closed: reconnecting means a new `RedisConnection` (see `RedisReconnectPolicy` for when). Releasing the last
/// reference frees the context without calling anything.
public final class RedisConnection {
    /// What reply a command's completion gets.
    public typealias Completion = (Result<RedisReply, RedisError>) -> Void

    /// The server this connection goes to.
    public let endpoint: RedisEndpoint
    /// Called once, when the TCP connect has completed (hiredis's `onConnect` with `REDIS_OK`).
    public var onConnect: (() -> Void)?
    /// Called once, when the connection has ended for any reason, after every pending completion.
    public var onClose: ((RedisError) -> Void)?
    /// Whether hiredis wants to know when the descriptor is readable (`ev.addRead` / `ev.delRead`).
    public internal(set) var wantsRead = false
    /// Whether hiredis wants to know when the descriptor is writable (`ev.addWrite` / `ev.delWrite`): while the
    /// connect is in progress and while commands wait in its output buffer.
    public internal(set) var wantsWrite = false
    /// Whether the TCP connect has completed and the connection has not ended.
    public var isConnected: Bool { context != nil && established }
    /// Whether the connection has ended; `closeReason` says why.
    public var isClosed: Bool { context == nil }
    /// Why the connection ended, once it has.
    public internal(set) var closeReason: RedisError?
    /// Whether a command sent waits for its reply (or a subscription for its messages). hiredis has no timeout:
    /// the caller decides how long is too long, with `repliesReceived` telling it whether anything arrived.
    public var awaitsReply: Bool { !handlers.isEmpty }
    /// How many replies have reached their completions so far.
    public private(set) var repliesReceived: UInt64 = 0

    /// hiredis's context, nil once hiredis has freed it (or is about to: its `ev.cleanup` hook has run).
    var context: UnsafeMutablePointer<redisAsyncContext>?
    var established = false
    var closedByCaller = false
    var setupFailure: String?
    var handlers: [UInt: Handler] = [:]
    private var nextToken: UInt = 1
    var events: [Event] = []
    private var eventHead = 0
    private var isDraining = false

    /// A command's completion: once, or (`SUBSCRIBE`, `PSUBSCRIBE`) once per message until the connection ends.
    enum Handler {
        case once(Completion)
        case subscription(Completion)
    }

    /// What hiredis reported, waiting to be delivered after it returns.
    enum Event {
        case reply(token: UInt, Result<RedisReply, RedisError>)
        case connected
        case closed(RedisError)
    }

    /// Starts a non-blocking connect (`redisAsyncConnect`); its outcome comes through `onConnect` or `onClose`.
    /// A database other than 0 is selected with `SELECT` before anything else is sent. Makes `SIGPIPE` harmless
    /// for the whole process (`ResourceLimits.ignoreBrokenPipe()`), as hiredis writes with `write(2)`.
    ///
    /// - Throws: `RedisError.connectFailed` when connect fails at once (no address, refused before returning).
    public init(endpoint: RedisEndpoint) throws(RedisError) {
        self.endpoint = endpoint
        // hiredis writes with write(2), not send(MSG_NOSIGNAL): a Redis gone mid-write must not kill the process.
        ResourceLimits.ignoreBrokenPipe()
        guard let context = redisAsyncConnect(endpoint.host, CInt(endpoint.port)) else {
            throw .connectFailed("hiredis could not allocate a context")
        }
        if context.pointee.err != 0 {
            let reason = Self.errorText(context) ?? "error \(context.pointee.err)"
            // No hooks are installed yet, so freeing calls nothing of ours.
            redisAsyncFree(context)
            throw .connectFailed(reason)
        }
        self.context = context
        installHooks(on: context)
        if endpoint.database != 0 { selectDatabase(endpoint.database) }
    }

    deinit {
        guard let context else { return }
        // Detach first: freeing runs the pending callbacks and the cleanup hook, which must not reach an object
        // being destroyed. Completions are dropped, not called, as a closure must not outlive its connection.
        context.pointee.data = nil
        context.pointee.ev.data = nil
        redisAsyncFree(context)
    }

    /// The socket hiredis reads and writes, for the caller's select sets; nil once closed.
    public var descriptor: SocketDescriptor? {
        guard let context else { return nil }
        return SocketDescriptor(rawValue: context.pointee.c.fd)
    }

    // MARK: - Commands

    /// Sends one command, binary-safe (`redisAsyncCommandArgv`): `["SET", key, value]`. `completion` gets the
    /// reply, or the reason the connection ended first. `SUBSCRIBE` and `PSUBSCRIBE` keep their completion: it is
    /// called for each confirmation and each message (see `RedisReply.publishedMessage`), and a subscribed
    /// connection takes no other commands. `UNSUBSCRIBE` is not supported: close the connection instead.
    ///
    /// - Throws: `RedisError.closed` when the connection is closed or closing; `completion` is then not called.
    public func send(_ arguments: [[UInt8]], completion: @escaping Completion) throws(RedisError) {
        guard let context, !closedByCaller, !arguments.isEmpty else { throw .closed }
        let token = nextToken
        nextToken = nextToken == .max ? 1 : nextToken + 1
        let name = String(decoding: arguments[0], as: UTF8.self).lowercased()
        let subscribes = name == "subscribe" || name == "psubscribe"
        handlers[token] = subscribes ? .subscription(completion) : .once(completion)
        let status = Self.withArgv(arguments) { count, argv, lengths in
            redisAsyncCommandArgv(
                context, { context, reply, token in RedisConnection.replied(context, reply, token) },
                UnsafeMutableRawPointer(bitPattern: token), count, argv, lengths)
        }
        guard status == REDIS_OK else {
            handlers[token] = nil
            throw .closed
        }
    }

    /// Sends one command whose arguments are text (sent as UTF-8).
    public func send(_ arguments: [String], completion: @escaping Completion) throws(RedisError) {
        try send(arguments.map { Array($0.utf8) }, completion: completion)
    }

    /// Closes the connection now (`redisAsyncFree`): commands waiting for replies fail with `RedisError.closed`,
    /// then `onClose` is called. Replies already read (a pipeline's, when a completion closes) are still delivered
    /// first: those commands ran. Does nothing when already closed.
    public func close() {
        guard let context else { return }
        closedByCaller = true
        redisAsyncFree(context)
        finishCall()
    }

    // MARK: - Readiness

    /// The descriptor is readable: hiredis reads and parses replies (`redisAsyncHandleRead`).
    public func readable() {
        guard let context else { return }
        redisAsyncHandleRead(context)
        finishCall()
    }

    /// The descriptor is writable: hiredis completes the connect or writes its buffer (`redisAsyncHandleWrite`).
    public func writable() {
        guard let context else { return }
        redisAsyncHandleWrite(context)
        finishCall()
    }

    // MARK: - Delivery

    /// Runs after every call into hiredis: notes the end of the context, then delivers what hiredis reported.
    func finishCall() {
        withExtendedLifetime(self) {
            if context == nil, closeReason == nil { recordClose() }
            drain()
        }
    }

    /// The context is gone: every completion not yet called fails (hiredis calls those of pending commands
    /// itself; this catches any it did not), then `onClose`.
    private func recordClose() {
        let reason = currentCloseReason(nil)
        closeReason = reason
        wantsRead = false
        wantsWrite = false
        for token in handlers.keys.sorted() { events.append(.reply(token: token, .failure(reason))) }
        events.append(.closed(reason))
    }

    /// Delivers queued events in order. Re-entrant calls (a completion that sends or closes) return at once:
    /// the outer loop picks up what they queued.
    private func drain() {
        guard !isDraining else { return }
        isDraining = true
        defer { isDraining = false }
        while eventHead < events.count {
            let event = events[eventHead]
            eventHead += 1
            deliver(event)
        }
        events.removeAll(keepingCapacity: events.count < 4_096)
        eventHead = 0
    }

    private func deliver(_ event: Event) {
        switch event {
        case .connected:
            onConnect?()
        case .closed(let reason):
            let handler = onClose
            onClose = nil
            onConnect = nil
            handler?(reason)
        case .reply(let token, let result):
            if case .success = result { repliesReceived += 1 }
            switch handlers[token] {
            case .once(let completion):
                handlers[token] = nil
                completion(result)
            case .subscription(let completion):
                if case .failure = result { handlers[token] = nil }
                completion(result)
            case nil:
                break
            }
        }
    }

    /// Why the connection is ending, as far as is known now.
    func currentCloseReason(_ context: UnsafePointer<redisAsyncContext>?) -> RedisError {
        if let closeReason { return closeReason }
        if let setupFailure { return .setupFailed(setupFailure) }
        if closedByCaller { return .closed }
        let text = context.flatMap { Self.errorText($0) } ?? lastErrorText ?? "the connection ended"
        return established ? .connectionLost(text) : .connectFailed(text)
    }

    /// hiredis's error text, kept by the cleanup hook while the context still existed.
    var lastErrorText: String?

    /// The error text of the context's `redisContext` (`c.errstr`), which hiredis sets before it copies it to the
    /// async context's `errstr` (after `onConnect` has been told of a failed connect).
    static func errorText(_ context: UnsafePointer<redisAsyncContext>) -> String? {
        guard context.pointee.c.err != 0 else { return nil }
        return withUnsafeBytes(of: context.pointee.c.errstr) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    private func selectDatabase(_ index: Int) {
        try? send(["SELECT", String(index)]) { [weak self] result in
            guard let self, case .success(.error(let message)) = result else { return }
            setupFailure = "SELECT \(index): \(message)"
            close()
        }
    }
}

@available(*, unavailable)
extension RedisConnection: Sendable {}
