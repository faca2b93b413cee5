import ChatSocket

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

extension LoadGenerator {
    /// Resets the connection of client `planned` (or of the next client that can be cut) and reconnects it at
    /// once; its new hello carries the resume token and the highest id it has seen.
    ///
    /// A reset, unlike a close, throws away what the kernel still holds in both directions: deliveries the
    /// server had sent but the client had not read, and messages the client had queued but the server had not
    /// read. The replay must bring back the first kind; `DeliveryTracker.takeBackUnrelayed(of:)` accounts for
    /// the second once the replay has shown what the server relayed.
    mutating func cut(planned: Int) {
        let count = clients.count
        guard let index = (0..<count).lazy.map({ (planned + $0) % count }).first(where: { clients[$0].isCuttable }),
            let fd = clients[index].fd
        else {
            resume.skipped += 1
            return
        }
        readInterest.remove(fd)
        writeInterest.remove(fd)
        clientByFD[Int(fd.rawValue)] = -1
        Self.reset(fd)
        clients[index].fd = nil
        clients[index].dropConnectionBuffers()
        clients[index].isResuming = true
        resume.cuts += 1
        resume.pending += 1
        startConnect(index)
    }

    /// Wraps `setsockopt(2)` `SO_LINGER` with a zero timeout, then `close(2)`: the kernel sends RST and drops
    /// both queues, as when a network path dies.
    private static func reset(_ fd: SocketDescriptor) {
        var option = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd.rawValue, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        fd.close()
    }
}
