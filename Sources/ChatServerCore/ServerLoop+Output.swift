import ChatProtocol
import ChatSocket
import SystemPackage

extension ServerLoop {
    // MARK: - The hub's actions

    /// Hands one event to the hub and carries out what it answers; the only way the loop talks to the hub.
    func handle(_ event: ChatHub.Event) {
        hub.handle(event, at: HubTime(instant: now, epochMilliseconds: wallClock), into: &actions)
        for action in actions {
            switch action {
            case .send(let id, let frame):
                frame.withUnsafeBufferPointer { enqueue($0, to: id) }
            case .deliver(let delivery):
                deliver(delivery)
            case .close(let id):
                beginClosing(id)
            case .schedule(let session, let instant):
                table.schedule(session, at: instant)
            case .note(let note):
                if case .joined(let id, _, let features) = note {
                    table.joined(id, pings: features.contains(.ping), now: now)
                }
                log(note)
            case .submit(let entry):
                submit(entry)
            }
        }
        actions.removeAll(keepingCapacity: true)
    }

    /// The fan-out: each member's form into its queue, through raw buffers so that no reference is counted per
    /// member; only members over the send-queue limit take the slow path.
    private func deliver(_ delivery: Delivery) {
        delivery.bytes.withUnsafeBufferPointer { bytes in
            outbound.fanOut(
                delivery, bytes: bytes, limit: configuration.maxSendQueue, flush: &flushList, overLimit: &overLimit)
            guard !overLimit.isEmpty else { return }
            let over = overLimit
            overLimit.removeAll(keepingCapacity: true)
            for (id, form) in over { enqueue(UnsafeBufferPointer(rebasing: bytes[delivery.ranges[form]]), to: id) }
        }
    }

    /// Appends a frame to one client's queue; the queue is sent after the pass, in one `send` per client.
    func enqueue(_ frame: UnsafeBufferPointer<UInt8>, to id: ClientID) {
        let limit = configuration.maxSendQueue
        var outcome = outbound.queue(frame, for: id, limit: limit)
        if outcome == .overLimit {
            // One pass can queue a lot for a reader that is keeping up; let the kernel take its share before
            // judging, so that only output the peer genuinely is not reading counts against the limit.
            flush(id)
            outcome = outbound.queue(frame, for: id, limit: limit)
            if outcome == .overLimit {
                logger.warning(
                    "dropping slow consumer",
                    metadata: ["peer": "\(peer(id))", "queued": "\(outbound[id.slot].pending)"])
                return drop(id, "send queue over \(limit) bytes (slow consumer)")
            }
        }
        if outcome == .queuedFirst { flushList.append(id) }
    }

    // MARK: - Sending

    /// Flushes every queued client and drops the doomed, repeating while drops cause more output.
    func settle() {
        repeat {
            let queued = flushList
            flushList.removeAll(keepingCapacity: true)
            for id in queued { flush(id) }
            applyDrops()
        } while !flushList.isEmpty
    }

    /// Sends what the kernel takes; the rest waits for writability.
    func flush(_ id: ClientID) {
        guard let connection = table[id], !connection.isClosed else { return }
        // Stored before sent: a message a client has seen survives a crash, so its id is never handed out again
        // after a restart.
        writeHistory()
        let socket = SocketDescriptor(rawValue: id.slot)
        let sent =
            if let link = tlsLink(id) {
                outbound[id.slot].send(through: link.write)
            } else {
                outbound[id.slot].send(on: socket)
            }
        switch sent {
        case .failed(let reason):
            drop(id, "write failed: \(reason)")
        case .waitingForRead:
            // TLS must read first; the next read flushes again.
            if tlsLink(id)?.readWaitsForWritable != true { writeInterest.remove(socket) }
        case .progress(let remaining):
            if remaining > 0 {
                writeInterest.insert(socket)
            } else {
                if tlsLink(id)?.readWaitsForWritable != true { writeInterest.remove(socket) }
                table.scheduleSweep(now: now)
            }
            if table.flushed(id, remaining: remaining) {
                tlsLink(id)?.connection.shutdown()
                try? socket.shutdown(.write)
            }
        }
    }

    // MARK: - Closing and dropping

    /// Sends one error and starts a lingering close: the protocol's policy for a refusal before `hello`.
    func refuse(_ id: ClientID, _ code: ErrorCode, _ reason: String) {
        if let frame = try? PacketEncoder.frame(.error(code: code, message: reason)) {
            frame.withUnsafeBufferPointer { enqueue($0, to: id) }
        }
        beginClosing(id)
    }

    /// The lingering close: the queue takes nothing more, what it holds is flushed, then writes are shut down
    /// and input discarded until the peer's FIN or the deadline.
    func beginClosing(_ id: ClientID) {
        guard table[id]?.holdsSlot == true else { return }
        table.close(id, now: now)
        outbound[id.slot].stopTaking()
        flush(id)
        updateReadInterest(id)
    }

    /// Marks a client to be dropped after this pass; its room hears `leave` then.
    func drop(_ id: ClientID, _ reason: String) {
        guard table.fail(id) else { return }
        outbound[id.slot].stopTaking()
        drops.append((id, reason))
    }

    func applyDrops() {
        while !drops.isEmpty {
            let pending = drops
            drops.removeAll(keepingCapacity: true)
            for (id, reason) in pending {
                guard table[id] != nil else { continue }
                let nick = hub.nick(of: id)
                let socket = SocketDescriptor(rawValue: id.slot)
                readInterest.remove(socket)
                writeInterest.remove(socket)
                logger.info(
                    "disconnected", metadata: ["peer": "\(peer(id))", "nick": "\(nick ?? "-")", "reason": "\(reason)"])
                setTLSLink(nil, for: id)
                socket.close()
                releasedSinceTrim += outbound[id.slot].capacity
                outbound[id.slot] = OutboundQueue()
                table.remove(id)
                handle(.disconnected(id))
            }
        }
    }
}
