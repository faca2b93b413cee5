import ChatProtocol
import ChatSocket
import SystemPackage

extension ServerLoop {
    // MARK: - Accepting

    /// Accepts what is pending, as much as the table allows this pass.
    func acceptPending() {
        var accepted = 0
        while true {
            let fd: SocketDescriptor
            do {
                guard let next = try acceptNext(acceptedThisPass: accepted) else { return }
                fd = next
            } catch .connectionAbort {
                accepted += 1
                continue
            } catch {
                logger.warning("accept failed, pausing", metadata: ["error": "\(error)"])
                return pauseAccepting()
            }
            accepted += 1
            admit(fd)
        }
    }

    private func admit(_ fd: SocketDescriptor) {
        let peer = (try? fd.peerAddress().description) ?? "unknown"
        try? fd.enableKeepAlive()
        try? fd.disableNagle()
        let (id, admitted) = table.accept(slot: fd.rawValue, peer: peer, now: now)
        outbound.open(for: id)
        readInterest.insert(fd)
        guard admitted else {
            logger.warning("server full, refusing", metadata: ["peer": "\(peer)"])
            return refuse(id, .serverFull, "server full")
        }
        logger.info("connected", metadata: ["peer": "\(peer)", "id": "\(id)"])
    }

    // MARK: - Reading

    /// One `recv` for a readable client, then its whole frames, within this pass's share.
    func read(_ id: ClientID) {
        let result: SocketDescriptor.ReadResult
        do {
            result = try SocketDescriptor(rawValue: id.slot).read(into: readBuffer)
        } catch {
            return drop(id, "read failed: \(error)")
        }
        switch result {
        case .wouldBlock:
            return
        case .endOfStream:
            guard let reason = table.endOfStream(from: id) else { return }
            drops.append((id, reason))
        case .bytes(let count):
            if table.received(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]), from: id, now: now) {
                handleFrames(id)
            }
        }
    }

    /// Hands the client's whole frames to the hub, as many as its share of this pass and its rate limit allow.
    /// What is left waits in the backlog, and the socket is not read meanwhile (TCP back-pressure, no loss).
    func handleFrames(_ id: ClientID) {
        var handled = 0
        loop: while true {
            switch table.nextPacket(from: id, handledThisPass: handled, now: now) {
            case .packet(let payload):
                handled += 1
                handle(.received(id, payload))
            case .budgetSpent:
                backlog.append(id)
                break loop
            case .none, .throttled:
                break loop
            }
        }
        updateReadInterest(id)
    }

    /// Gives each client with frames left over from earlier passes its next share. A client is in the backlog at
    /// most once: it gets there only by spending its share, and is not read again until the backlog served it.
    func serviceBacklog() {
        guard !backlog.isEmpty else { return }
        let waiting = backlog
        backlog.removeAll(keepingCapacity: true)
        for id in waiting { handleFrames(id) }
    }

    func updateReadInterest(_ id: ClientID) {
        guard let connection = table[id] else { return }
        if connection.wantsRead {
            readInterest.insert(SocketDescriptor(rawValue: id.slot))
        } else {
            readInterest.remove(SocketDescriptor(rawValue: id.slot))
        }
    }
}
