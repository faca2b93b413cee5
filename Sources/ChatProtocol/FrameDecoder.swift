/// Turns a byte stream, split anywhere, into frame payloads (the assignment's `get_next_packet`).
///
/// Feed whatever `recv` returned to `append(_:)`, then call `next()` until it returns nil. A 2-byte length
/// cannot exceed 65,535, so framing itself never fails; judging the payload is the packet decoder's job.
public struct FrameDecoder: Sendable {
    /// Where the decoder stands in the stream.
    public enum State: Equatable, Sendable {
        case awaitingHeader
        case awaitingBody(length: Int)
    }

    public private(set) var state: State = .awaitingHeader
    private var buffer: [UInt8] = []
    private var start = 0

    public init() {}

    /// Bytes received but not yet returned as a payload.
    public var bufferedByteCount: Int { buffer.count - start }

    /// Whether `next()` would return a payload now.
    public var hasCompleteFrame: Bool {
        let available = buffer.count - start
        switch state {
        case .awaitingHeader:
            guard available >= PacketEncoder.headerSize else { return false }
            return available - PacketEncoder.headerSize >= Int(buffer[start]) << 8 | Int(buffer[start + 1])
        case .awaitingBody(let length):
            return available >= length
        }
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Adds received bytes from raw memory.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next whole payload, or nil until more bytes arrive.
    public mutating func next() -> ArraySlice<UInt8>? {
        if case .awaitingHeader = state {
            guard buffer.count - start >= PacketEncoder.headerSize else { return releaseIfDrained() }
            state = .awaitingBody(length: Int(buffer[start]) << 8 | Int(buffer[start + 1]))
            start += PacketEncoder.headerSize
        }
        guard case .awaitingBody(let length) = state, buffer.count - start >= length else {
            return releaseIfDrained()
        }
        let payload = buffer[start..<start + length]
        start += length
        state = .awaitingHeader
        return payload
    }

    /// An idle connection holds no buffer at all, which keeps ten thousand idle clients cheap.
    private mutating func releaseIfDrained() -> ArraySlice<UInt8>? {
        if start == buffer.count && !buffer.isEmpty {
            buffer = []
            start = 0
        }
        return nil
    }

    private mutating func compact() {
        guard start > 0 else { return }
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
        } else {
            buffer.removeSubrange(0..<start)
        }
        start = 0
    }
}
