import ChatTLS

/// The TLS side of one connection that came in on the TLS listener; the loop keeps one per slot, plain
/// connections have none. OpenSSL may need the other direction to make progress: a read that must first write
/// (a handshake message the socket had no room for), or a write that must first read.
final class TLSLink {
    let connection: TLSConnection
    /// The last read stopped at `wantWrite`: read again once the socket is writable.
    var readWaitsForWritable = false
    /// The last write stopped at `wantRead`: flush again after the next read.
    var writeWaitsForReadable = false

    init(_ connection: TLSConnection) {
        self.connection = connection
    }

    /// One `SSL_write` of what the queue offers, in the queue's terms.
    func write(_ bytes: UnsafeRawBufferPointer) -> OutboundQueue.TransportWrite {
        switch connection.write(bytes) {
        case .wrote(let count):
            writeWaitsForReadable = false
            return .wrote(count)
        case .wantWrite: return .wouldBlock(untilReadable: false)
        case .wantRead:
            writeWaitsForReadable = true
            return .wouldBlock(untilReadable: true)
        case .failed(let error): return .failed("\(error)")
        }
    }
}

@available(*, unavailable)
extension TLSLink: Sendable {}
