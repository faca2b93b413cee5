import CMalloc
import ChatProtocol
import ChatSocket
import Logging

extension ServerLoop {
    /// Hello timeouts, rate-limit resumptions, lingering-close deadlines, the listener pause and shutdown.
    func serviceTimers() {
        expireGreetings()
        resumeThrottled()
        resumeListenerIfDue()
        expireLingering()
        sweepIdleBuffers()
        if let deadline = shutdownDeadline, deadline <= now {
            for fd in clients.indices where clients[fd] != nil { drop(Int32(fd), "shutdown") }
        }
    }

    private func sweepIdleBuffers() {
        guard let due = sweepDue, due <= now else { return }
        var holding = false
        for index in clients.indices where clients[index] != nil {
            let (freed, stillHolding) = outbound[Int32(index)].sweep()
            releasedSinceTrim += freed
            holding = holding || stillHolding
        }
        // Once every buffer is freed the sweep stops, so an idle server never wakes for it.
        sweepDue = holding ? now + Self.sweepInterval : nil
    }

    /// Before sleeping with nothing scheduled, hands a large amount of freed buffer memory back to the kernel:
    /// glibc keeps it in the heap otherwise, and after a burst (ten thousand joins) an idle server would hold
    /// hundreds of megabytes it no longer uses.
    func trimIfIdle() {
        guard releasedSinceTrim >= Self.trimThreshold else { return }
        releasedSinceTrim = 0
        _ = cmalloc_trim(0)
    }

    /// Greetings expire in accept order, so only the head of the queue is ever examined.
    private func expireGreetings() {
        while greetingsHead < greetings.count, greetings[greetingsHead].deadline <= now {
            let entry = greetings[greetingsHead]
            greetingsHead += 1
            guard let connection = clients[Int(entry.fd)], connection.serial == entry.serial, connection.isOpen,
                !hub.isJoined(ClientID(rawValue: entry.fd))
            else { continue }
            logger.info("hello timeout", metadata: ["peer": "\(connection.peer)"])
            refuse(entry.fd, .timeout, "no hello within the time limit")
        }
        if greetingsHead > 1024 && greetingsHead * 2 > greetings.count {
            greetings.removeFirst(greetingsHead)
            greetingsHead = 0
        }
    }

    /// Drops queue entries whose connection has joined or gone, so that their deadlines never wake the loop.
    func skipSettledGreetings() {
        while greetingsHead < greetings.count {
            let entry = greetings[greetingsHead]
            guard let connection = clients[Int(entry.fd)], connection.serial == entry.serial, connection.isOpen,
                !hub.isJoined(ClientID(rawValue: entry.fd))
            else {
                greetingsHead += 1
                continue
            }
            return
        }
    }

    private func expireLingering() {
        guard !lingering.isEmpty else { return }
        lingering.removeAll { entry in
            guard let connection = clients[Int(entry.fd)], connection.serial == entry.serial,
                case .closing(let deadline) = connection.phase
            else { return true }
            guard deadline <= now else { return false }
            drop(entry.fd, "closed after error")
            return true
        }
    }

    /// Stop accepting, tell extended clients, and let every connection drain and close within the grace period.
    func beginShutdown() {
        logger.info("shutting down")
        shutdownDeadline = now + configuration.shutdownGrace
        if let listener {
            readInterest.remove(listener)
            listener.close()
            self.listener = nil
        }
        listenerPausedUntil = nil
        hub.handle(.shutdown, into: &actions)
        perform()
        for fd in clients.indices {
            guard let connection = clients[fd], connection.isOpen else { continue }
            beginClosing(connection.fd.rawValue)
        }
    }

    func log(_ note: ChatHub.Note) {
        switch note {
        case .joined(let id, let nick):
            logger.info("joined", metadata: ["nick": "\(nick)", "peer": "\(peer(id))"])
        case .left(_, let nick):
            logger.info("left", metadata: ["nick": "\(nick)"])
        case .moved(_, let nick, let room):
            logger.info("moved", metadata: ["nick": "\(nick)", "room": "\(room)"])
        case .rejected(let id, let code, let reason):
            logger.info("protocol error", metadata: ["peer": "\(peer(id))", "code": "\(code)", "reason": "\(reason)"])
        }
    }

    private func peer(_ id: ClientID) -> String {
        clients[Int(id.rawValue)]?.peer ?? "-"
    }
}
