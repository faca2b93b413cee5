import ChatSocket
import ChatTLS

extension LoadGenerator {
    // MARK: - Handshake

    /// Starts the TLS session over a connected socket; the handshake then advances whenever the socket is ready
    /// in the direction OpenSSL asked for.
    mutating func beginHandshake(_ index: Int) {
        guard let fd = clients[index].fd, let tlsContext else { return }
        do {
            clients[index].tls = try TLSConnection(context: tlsContext, fd: fd.rawValue, host: configuration.host)
        } catch {
            tlsLedger.note(error.description)
            return fail(index)
        }
        clients[index].state = .handshaking
        advanceHandshake(index)
    }

    /// One `SSL_do_handshake` step. Once done, the certificate is checked (given a CA file) and hello is sent.
    mutating func advanceHandshake(_ index: Int) {
        guard let fd = clients[index].fd, let tls = clients[index].tls else { return }
        switch tls.handshake() {
        case .done:
            writeInterest.remove(fd)
            if configuration.caFile != nil, case .untrusted(let reason) = tls.verification {
                tlsLedger.note("certificate of \(address.description): \(reason)")
                return fail(index)
            }
            if tlsLedger.session == nil { tlsLedger.session = "\(tls.protocolVersion) \(tls.cipherSuite ?? "?")" }
            greet(index)
            // Decrypted bytes do not make the socket readable.
            if clients[index].tls?.pendingBytes ?? 0 > 0 { readClient(index) }
        case .wantRead:
            readInterest.insert(fd)
            writeInterest.remove(fd)
        case .wantWrite:
            writeInterest.insert(fd)
            readInterest.remove(fd)
        case .failed(let error):
            tlsLedger.note(error.description)
            fail(index)
        }
    }

    // MARK: - Reading and writing

    /// Reads until OpenSSL wants the socket again: `SSL_read` gives at most one record per call, and what it has
    /// decrypted but not handed out (`pendingBytes`) would never wake `select()`. Whole frames are handled each
    /// time the shared buffer fills, and once at the end.
    mutating func readTLS(_ index: Int, fd: SocketDescriptor, tls: TLSConnection) {
        clients[index].readWaitsForWritable = false
        var outcome = TLSReadResult.bytes(0)
        var bufferFilled = true
        while bufferFilled {
            let carried = restoreCarry(index)
            var filled = carried
            while filled < Self.bufferSize {
                outcome = tls.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                guard case .bytes(let count) = outcome else { break }
                filled += count
            }
            if filled > carried { consumeBuffer(index, count: filled) }
            bufferFilled = filled == Self.bufferSize
        }
        switch outcome {
        case .bytes, .wantRead:
            break
        case .wantWrite:
            clients[index].readWaitsForWritable = true
        case .closed:
            return fail(index)
        case .failed(let error):
            tlsLedger.note(error.description)
            return fail(index)
        }
        if clients[index].writeWaitsForReadable && clients[index].pendingOutput > 0 {
            return flushTLS(index, fd: fd, tls: tls)
        }
        updateWriteInterest(index, fd: fd)
    }

    /// Writes the client's queue until it is empty or OpenSSL wants the socket. After `wantRead`/`wantWrite` the
    /// queue still starts with the bytes offered (only `consumeOutput` moves its start, and sends only append),
    /// so the retry offers the same bytes again, with more after them or not, as `SSL_write` requires.
    mutating func flushTLS(_ index: Int, fd: SocketDescriptor, tls: TLSConnection) {
        // Before the handshake is done, SSL_write would drive it behind advanceHandshake's back.
        guard clients[index].state == .connected else { return }
        clients[index].writeWaitsForReadable = false
        sending: while clients[index].pendingOutput > 0 {
            let start = clients[index].outboundStart
            let result = clients[index].outbound.withUnsafeBytes { raw in
                tls.write(UnsafeRawBufferPointer(rebasing: raw[start...]))
            }
            switch result {
            case .wrote(let count):
                clients[index].consumeOutput(count)
            case .wantWrite:
                break sending
            case .wantRead:
                clients[index].writeWaitsForReadable = true
                break sending
            case .failed(let error):
                tlsLedger.note(error.description)
                return fail(index)
            }
        }
        updateWriteInterest(index, fd: fd)
    }

    /// Watches for writability while a read waits for it, or while output waits for room in the socket.
    private mutating func updateWriteInterest(_ index: Int, fd: SocketDescriptor) {
        let waitsForRoom = clients[index].pendingOutput > 0 && !clients[index].writeWaitsForReadable
        if clients[index].readWaitsForWritable || waitsForRoom {
            writeInterest.insert(fd)
        } else {
            writeInterest.remove(fd)
        }
    }
}
