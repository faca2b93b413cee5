import ChatProtocol
import ChatSocket
import ChatTLS
import SystemPackage

extension ServerLoop {
    // MARK: - Accepting

    /// Accepts what is pending on `listener`, as much as the table allows this pass.
    func acceptPending(from listener: SocketDescriptor, tls: Bool) {
        var accepted = 0
        while table.mayAccept(acceptedThisPass: accepted) {
            let fd: SocketDescriptor
            do {
                guard let next = try listener.accept() else { return }
                fd = next
            } catch .connectionAbort {
                accepted += 1
                continue
            } catch {
                logger.warning("accept failed, pausing", metadata: ["error": "\(error)"])
                return pauseAccepting()
            }
            accepted += 1
            admit(fd, tls: tls)
        }
    }

    private func admit(_ fd: SocketDescriptor, tls: Bool) {
        let peer = (try? fd.peerAddress().description) ?? "unknown"
        try? fd.enableKeepAlive()
        try? fd.disableNagle()
        var link: TLSLink?
        if tls, let context = listeners.tlsContext {
            do {
                link = TLSLink(try TLSConnection(context: context, fd: fd.rawValue))
            } catch {
                logger.warning("TLS setup failed", metadata: ["peer": "\(peer)", "error": "\(error)"])
                return fd.close()
            }
        }
        let (id, admitted) = table.accept(slot: fd.rawValue, peer: peer, now: now)
        outbound.open(for: id)
        setTLSLink(link, for: id)
        readInterest.insert(fd)
        guard admitted else {
            logger.warning("server full, refusing", metadata: ["peer": "\(peer)"])
            return refuse(id, .serverFull, "server full")
        }
        logger.info("connected", metadata: ["peer": "\(peer)", "id": "\(id)"])
    }

    // MARK: - Reading

    /// One `recv` for a readable client (or, over TLS, what OpenSSL has for it), then its whole frames, within
    /// this pass's share.
    func read(_ id: ClientID) {
        if let link = tlsLink(id) { return readTLS(id, link) }
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
            // Cluster mode: packets held for the log are bounded; the rest wait in the socket (TCP back-pressure).
            if cluster != nil, hub.isHoldingAllItMay(id) {
                heldBack.insert(id)
                break loop
            }
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

    // MARK: - TLS

    func tlsLink(_ id: ClientID) -> TLSLink? {
        Int(id.slot) < tlsLinks.count ? tlsLinks[Int(id.slot)] : nil
    }

    func setTLSLink(_ link: TLSLink?, for id: ClientID) {
        let index = Int(id.slot)
        if index >= tlsLinks.count {
            guard link != nil else { return }
            tlsLinks.append(contentsOf: repeatElement(nil, count: index - tlsLinks.count + 1))
        }
        tlsLinks[index] = link
    }

    /// Reads what OpenSSL can decrypt, up to one read buffer (the handshake goes on inside); a read that must
    /// first write waits for writability, and bytes OpenSSL keeps past the buffer are read next pass, since
    /// `select` cannot see them.
    private func readTLS(_ id: ClientID, _ link: TLSLink) {
        var count = 0
        reading: while count < Self.readChunk {
            switch link.connection.read(into: UnsafeMutableRawBufferPointer(rebasing: readBuffer[count...])) {
            case .bytes(let read): count += read
            case .wantRead: break reading
            case .wantWrite:
                link.readWaitsForWritable = true
                writeInterest.insert(SocketDescriptor(rawValue: id.slot))
                break reading
            case .closed:
                if count == 0, let reason = table.endOfStream(from: id) { return drops.append((id, reason)) }
                break reading
            case .failed(let error):
                logger.info("TLS failed", metadata: ["peer": "\(peer(id))", "error": "\(error)"])
                return drop(id, "TLS: \(error)")
            }
        }
        if link.connection.pendingBytes > 0 { tlsPending.append(id) }
        if count > 0, table.received(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]), from: id, now: now) {
            handleFrames(id)
        }
        if link.writeWaitsForReadable { flush(id) }
    }

    /// Reads the TLS connections whose decrypted bytes wait inside OpenSSL.
    func serviceTLSPending() {
        guard !tlsPending.isEmpty else { return }
        let waiting = tlsPending
        tlsPending.removeAll(keepingCapacity: true)
        for id in waiting where table[id]?.wantsRead == true { read(id) }
    }

    func updateReadInterest(_ id: ClientID) {
        guard let connection = table[id] else { return }
        if connection.wantsRead {
            readInterest.insert(SocketDescriptor(rawValue: id.slot))
            // Bytes left inside OpenSSL while the connection was not read make no socket readable.
            if let link = tlsLink(id), link.connection.pendingBytes > 0, !tlsPending.contains(id) {
                tlsPending.append(id)
            }
        } else {
            readInterest.remove(SocketDescriptor(rawValue: id.slot))
        }
    }
}
