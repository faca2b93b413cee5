import ChatProtocol
import ChatSocket
import SystemPackage

extension ServerLoop {
    /// One `recv` for a readable client, then its whole frames, within this pass's budget.
    func readClient(_ fd: Int32) {
        guard let connection = clients[Int(fd)], connection.phase != .doomed else { return }
        let result: SocketDescriptor.ReadResult
        do {
            result = try connection.fd.read(into: readBuffer)
        } catch {
            return drop(fd, "read failed: \(error)")
        }
        switch result {
        case .wouldBlock:
            return
        case .endOfStream:
            if case .closing = connection.phase { return finishClosing(fd) }
            return drop(fd, "closed by peer")
        case .bytes(let count):
            // A closing connection's input is read only to be discarded, so its FIN can be seen.
            guard connection.isOpen else { return }
            clients[Int(fd)]?.decoder.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
            handleFrames(fd)
        }
    }

    /// Handles the client's buffered frames, at most `packetsPerPass` and no more than its rate allows; what is
    /// left waits in the backlog, and the socket is not read until it is gone (TCP back-pressure, no loss).
    func handleFrames(_ fd: Int32) {
        refill(fd)
        var handled = 0
        while handled < Self.packetsPerPass, clients[Int(fd)]?.isOpen == true {
            guard clients[Int(fd)]?.decoder.hasCompleteFrame == true else { break }
            if configuration.rate > 0 {
                guard let tokens = clients[Int(fd)]?.tokens, tokens >= 1 else {
                    throttle(fd)
                    break
                }
                clients[Int(fd)]?.tokens = tokens - 1
            }
            guard let payload = clients[Int(fd)]?.decoder.next() else { break }
            handled += 1
            hub.handle(.received(ClientID(rawValue: fd), payload), into: &actions)
            perform()
        }
        updateBacklog(fd)
    }

    private func updateBacklog(_ fd: Int32) {
        guard let connection = clients[Int(fd)], connection.isOpen else { return }
        let waiting = connection.decoder.hasCompleteFrame
        if waiting && !connection.isThrottled && !connection.isInBacklog {
            clients[Int(fd)]?.isInBacklog = true
            backlog.append(fd)
        }
        if waiting || connection.isThrottled {
            readInterest.remove(connection.fd)
        } else {
            readInterest.insert(connection.fd)
        }
    }

    /// Gives each client with frames left over from earlier passes its next share.
    func serviceBacklog() {
        guard !backlog.isEmpty else { return }
        let waiting = backlog
        backlog.removeAll(keepingCapacity: true)
        for fd in waiting {
            clients[Int(fd)]?.isInBacklog = false
            handleFrames(fd)
        }
    }

    // MARK: - Rate limit

    private func refill(_ fd: Int32) {
        guard configuration.rate > 0, let connection = clients[Int(fd)], !connection.isThrottled else { return }
        let elapsed = now - connection.refilledAt
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        clients[Int(fd)]?.tokens = min(configuration.burst, connection.tokens + seconds * configuration.rate)
        clients[Int(fd)]?.refilledAt = now
    }

    /// Stops reading the client until one token has accrued; `refilledAt` then holds the time to resume.
    private func throttle(_ fd: Int32) {
        guard let connection = clients[Int(fd)], !connection.isThrottled else { return }
        let wait = (1 - connection.tokens) / configuration.rate
        clients[Int(fd)]?.isThrottled = true
        clients[Int(fd)]?.refilledAt = now + .nanoseconds(Int64(wait * 1e9))
        clients[Int(fd)]?.tokens = 1
        throttled.append(fd)
    }

    func resumeThrottled() {
        guard !throttled.isEmpty else { return }
        // Handling frames may throttle a client again, appending to the list being rebuilt here.
        let waiting = throttled
        throttled.removeAll(keepingCapacity: true)
        for fd in waiting {
            guard let connection = clients[Int(fd)], connection.isThrottled else { continue }
            if connection.refilledAt > now {
                throttled.append(fd)
                continue
            }
            clients[Int(fd)]?.isThrottled = false
            handleFrames(fd)
        }
    }
}
