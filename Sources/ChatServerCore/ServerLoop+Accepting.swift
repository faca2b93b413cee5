import ChatProtocol
import ChatSocket
import SystemPackage

extension ServerLoop {
    /// Accepts what is pending, a bounded number per pass so that a connection storm cannot starve the chat.
    func acceptPending() {
        guard let listener else { return }
        for _ in 0..<256 {
            let fd: SocketDescriptor
            do {
                guard let accepted = try listener.accept() else { return }
                fd = accepted
            } catch .connectionAbort {
                continue
            } catch {
                // EMFILE and friends leave the connection pending, so the listener stays readable; pausing it
                // for a moment keeps the loop from spinning while descriptors are short.
                logger.warning("accept failed, pausing", metadata: ["error": "\(error)"])
                readInterest.remove(listener)
                listenerPausedUntil = now + .milliseconds(100)
                return
            }
            admit(fd)
        }
    }

    private func admit(_ fd: SocketDescriptor) {
        let peer = (try? fd.peerAddress().description) ?? "unknown"
        try? fd.enableKeepAlive()
        try? fd.disableNagle()
        nextSerial += 1
        let index = Int(fd.rawValue)
        if index >= clients.count {
            clients.append(contentsOf: repeatElement(nil, count: index - clients.count + 1))
        }
        outbound.reserve(fd.rawValue)
        outbound[fd.rawValue] = OutboundQueue()
        outbound[fd.rawValue].acceptsOutput = true
        clients[index] = ClientConnection(
            fd: fd, serial: nextSerial, peer: peer, tokens: configuration.burst, now: now)
        connectionCount += 1
        readInterest.insert(fd)
        openCount += 1
        guard openCount <= configuration.maxClients else {
            logger.warning("server full, refusing", metadata: ["peer": "\(peer)"])
            refuse(fd.rawValue, .serverFull, "server full")
            return
        }
        greetings.append((fd.rawValue, nextSerial, now + configuration.helloTimeout))
        logger.info("connected", metadata: ["peer": "\(peer)", "fd": "\(fd.rawValue)"])
    }

    /// Sends one error and starts a lingering close; the loop's own counterpart of the hub's pre-hello policy.
    func refuse(_ fd: Int32, _ code: ErrorCode, _ reason: String) {
        if let frame = try? PacketEncoder.frame(.error(code: code, message: reason)) {
            frame.withUnsafeBufferPointer { enqueue($0, to: fd) }
        }
        beginClosing(fd)
    }

    /// Resumes accepting after a pause for `EMFILE`.
    func resumeListenerIfDue() {
        guard let until = listenerPausedUntil, until <= now, let listener, shutdownDeadline == nil else { return }
        listenerPausedUntil = nil
        readInterest.insert(listener)
    }
}
