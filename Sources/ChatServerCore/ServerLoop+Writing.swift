import ChatProtocol
import ChatSocket
import SystemPackage

extension ServerLoop {
    /// Carries out the hub's actions, then forgets them.
    func perform() {
        for action in actions {
            switch action {
            case .send(let id, let frame):
                frame.withUnsafeBufferPointer { enqueue($0, to: id.rawValue) }
            case .deliver(let members, let frame, let downgraded, let feature):
                deliver(frame, downgraded: downgraded, feature: feature, to: members)
            case .close(let id):
                beginClosing(id.rawValue)
            case .note(let note):
                log(note)
            }
        }
        actions.removeAll(keepingCapacity: true)
    }

    /// The fan-out: one frame (two with a downgraded form) into every member's queue, through raw buffers so
    /// that no reference is counted per member; only members over the send-queue limit take the slow path.
    private func deliver(_ frame: [UInt8], downgraded: [UInt8]?, feature: Features, to members: [ChatHub.Member]) {
        frame.withUnsafeBufferPointer { frame in
            if let downgraded {
                downgraded.withUnsafeBufferPointer { downgraded in
                    fanOut(frame, downgraded: downgraded, feature: feature, to: members)
                }
            } else {
                fanOut(frame, downgraded: nil, feature: feature, to: members)
            }
        }
    }

    private func fanOut(
        _ frame: UnsafeBufferPointer<UInt8>, downgraded: UnsafeBufferPointer<UInt8>?, feature: Features,
        to members: [ChatHub.Member]
    ) {
        outbound.fanOut(
            frame, downgraded: downgraded, feature: feature, to: members, limit: configuration.maxSendQueue,
            flush: &flushQueue, overLimit: &overLimit)
        guard !overLimit.isEmpty else { return }
        let over = overLimit
        overLimit.removeAll(keepingCapacity: true)
        for (fd, wantsDowngrade) in over { enqueue(wantsDowngrade ? downgraded ?? frame : frame, to: fd) }
    }

    /// Appends a frame to one client's queue; the queue is sent after the pass, in one `send` per client.
    func enqueue(_ frame: UnsafeBufferPointer<UInt8>, to fd: Int32) {
        let index = Int(fd)
        var outcome = outbound[fd].queue(frame, limit: configuration.maxSendQueue)
        if outcome == .overLimit {
            // One pass can queue a lot for a reader that is keeping up; let the kernel take its share before
            // judging, so that only output the peer genuinely is not reading counts against the limit.
            flush(fd)
            outcome = outbound[fd].queue(frame, limit: configuration.maxSendQueue)
            if outcome == .overLimit {
                logger.warning(
                    "dropping slow consumer",
                    metadata: [
                        "peer": "\(clients[index]?.peer ?? "-")", "queued": "\(outbound[fd].pending)",
                    ])
                return drop(fd, "send queue over \(configuration.maxSendQueue) bytes (slow consumer)")
            }
        }
        if outcome == .queuedFirst { flushQueue.append(fd) }
    }

    func flushQueued() {
        guard !flushQueue.isEmpty else { return }
        let queued = flushQueue
        flushQueue.removeAll(keepingCapacity: true)
        for fd in queued {
            outbound[fd].isQueuedForFlush = false
            flush(fd)
        }
    }

    /// Sends what the kernel takes; the rest waits for writability.
    func flush(_ fd: Int32) {
        let index = Int(fd)
        guard let socket = clients[index]?.fd, clients[index]?.phase != .doomed else { return }
        switch outbound[fd].send(on: socket) {
        case .failure(let error):
            drop(fd, "write failed: \(error)")
        case .success(let remaining) where remaining > 0:
            writeInterest.insert(socket)
        case .success:
            writeInterest.remove(socket)
            if sweepDue == nil { sweepDue = now + Self.sweepInterval }
            if case .closing? = clients[index]?.phase { try? socket.shutdown(.write) }
        }
    }

    // MARK: - Closing and dropping

    /// The lingering close: flush, shut down writes, then read and discard until the peer's FIN or the
    /// deadline. Closing with unread input at once would send RST, which can destroy the error packet in flight.
    func beginClosing(_ fd: Int32) {
        guard let connection = clients[Int(fd)], connection.isOpen else { return }
        clients[Int(fd)]?.phase = .closing(deadline: now + configuration.shutdownGrace)
        outbound[fd].acceptsOutput = false
        if !outbound[fd].isQueuedForFlush { flush(fd) }
        readInterest.insert(connection.fd)
        releaseSlot(fd)
        lingering.append((fd, connection.serial))
    }

    func finishClosing(_ fd: Int32) {
        guard let connection = clients[Int(fd)], case .closing = connection.phase else { return }
        clients[Int(fd)]?.phase = .doomed
        drops.append((fd, "closed after error"))
    }

    /// Marks a client to be dropped after this pass; its room hears `leave` then.
    func drop(_ fd: Int32, _ reason: String) {
        guard let connection = clients[Int(fd)], connection.phase != .doomed else { return }
        if connection.isOpen { releaseSlot(fd) }
        clients[Int(fd)]?.phase = .doomed
        outbound[fd].acceptsOutput = false
        readInterest.remove(connection.fd)
        writeInterest.remove(connection.fd)
        drops.append((fd, reason))
    }

    /// An open connection counts against `--max-clients`; once it starts closing it no longer does.
    private func releaseSlot(_ fd: Int32) {
        openCount -= 1
    }

    func applyDrops() {
        while !drops.isEmpty {
            let pending = drops
            drops.removeAll(keepingCapacity: true)
            for (fd, reason) in pending {
                guard let connection = clients[Int(fd)] else { continue }
                let nick = hub.nick(of: ClientID(rawValue: fd))
                hub.handle(.disconnected(ClientID(rawValue: fd)), into: &actions)
                readInterest.remove(connection.fd)
                writeInterest.remove(connection.fd)
                connection.fd.close()
                clients[Int(fd)] = nil
                releasedSinceTrim += outbound[fd].capacity
                outbound[fd] = OutboundQueue()
                connectionCount -= 1
                logger.info(
                    "disconnected",
                    metadata: ["peer": "\(connection.peer)", "nick": "\(nick ?? "-")", "reason": "\(reason)"])
                perform()
            }
        }
    }
}
