import CHiredis

// hiredis calls C function pointers; each one finds its connection through `ev.data` or `data` (an unretained
// pointer: the connection frees the context before it goes away, and detaches it first) and only records what
// happened. The context is never touched after the cleanup hook, which hiredis runs just before freeing it.

extension RedisConnection {
    /// Installs the event hooks and the connect and disconnect callbacks. The hooks go in before
    /// `redisAsyncSetConnectCallback`, which already asks for write interest to learn when the connect completes.
    func installHooks(on context: UnsafeMutablePointer<redisAsyncContext>) {
        let owner = Unmanaged.passUnretained(self).toOpaque()
        context.pointee.data = owner
        context.pointee.ev.data = owner
        context.pointee.ev.addRead = { RedisConnection.owner($0)?.wantsRead = true }
        context.pointee.ev.delRead = { RedisConnection.owner($0)?.wantsRead = false }
        context.pointee.ev.addWrite = { RedisConnection.owner($0)?.wantsWrite = true }
        context.pointee.ev.delWrite = { RedisConnection.owner($0)?.wantsWrite = false }
        context.pointee.ev.cleanup = { RedisConnection.owner($0)?.contextEnding() }
        _ = redisAsyncSetConnectCallback(context) { context, status in
            guard let context, let connection = RedisConnection.owner(context.pointee.data) else { return }
            if status == REDIS_OK {
                connection.established = true
                connection.events.append(.connected)
            } else {
                // hiredis frees the context right after this returns (after failing the pending callbacks).
                connection.contextEnding()
            }
        }
        _ = redisAsyncSetDisconnectCallback(context) { context, _ in
            guard let context else { return }
            RedisConnection.owner(context.pointee.data)?.contextEnding()
        }
    }

    /// The connection behind a hook's `privdata`, nil once detached.
    static func owner(_ pointer: UnsafeMutableRawPointer?) -> RedisConnection? {
        guard let pointer else { return nil }
        return Unmanaged<RedisConnection>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// hiredis is about to free the context (`ev.cleanup`, which it may call more than once): keep its error text,
    /// drop the interest and forget the pointer.
    func contextEnding() {
        if let context, lastErrorText == nil { lastErrorText = Self.errorText(context) }
        wantsRead = false
        wantsWrite = false
        context = nil
    }

    /// A reply callback (`redisCallbackFn`): a reply to copy (hiredis frees it on return), or NULL when the
    /// connection ends with the command still waiting. `privdata` is the handler's token, not a pointer.
    static func replied(
        _ context: UnsafeMutablePointer<redisAsyncContext>?, _ reply: UnsafeMutableRawPointer?,
        _ privdata: UnsafeMutableRawPointer?
    ) {
        guard let context, let connection = owner(context.pointee.data) else { return }
        let token = UInt(bitPattern: privdata)
        if let reply {
            let copied = RedisReply(copying: reply.assumingMemoryBound(to: redisReply.self))
            connection.events.append(.reply(token: token, .success(copied)))
        } else {
            connection.events.append(.reply(token: token, .failure(connection.currentCloseReason(context))))
        }
    }

    /// Lays the arguments out in one buffer and calls `body` with hiredis's `argc`, `argv` and `argvlen`.
    static func withArgv(
        _ arguments: [[UInt8]], _ body: (CInt, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> CInt
    ) -> CInt {
        // One byte more than needed, so that an all-empty command still has a base address.
        var joined: [UInt8] = []
        joined.reserveCapacity(arguments.reduce(1) { $0 + $1.count })
        var offsets: [Int] = []
        var lengths: [Int] = []
        for argument in arguments {
            offsets.append(joined.count)
            lengths.append(argument.count)
            joined += argument
        }
        joined.append(0)
        return joined.withUnsafeBytes { bytes in
            let base = bytes.baseAddress!.assumingMemoryBound(to: CChar.self)  // Non-empty: the byte above.
            var argv: [UnsafePointer<CChar>?] = offsets.map { UnsafePointer(base + $0) }
            return argv.withUnsafeMutableBufferPointer { argvBuffer in
                lengths.withUnsafeBufferPointer { lengthBuffer in
                    body(CInt(arguments.count), argvBuffer.baseAddress!, lengthBuffer.baseAddress!)
                }
            }
        }
    }
}
