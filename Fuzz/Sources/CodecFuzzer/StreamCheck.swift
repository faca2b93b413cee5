import ChatProtocol

/// Framing invariants: whatever the reads, `FrameDecoder` yields exactly the frames a one-pass reference reader
/// finds in the whole stream, and its counters agree with what it returns.
enum StreamCheck {
    /// Feeds `stream` to a `FrameDecoder` in the reads `plan` picks and returns the payloads, checked against
    /// the reference reader.
    static func frames(of stream: UnsafeRawBufferPointer, plan: Plan) -> [ArraySlice<UInt8>] {
        var plan = plan
        var decoder = FrameDecoder()
        var payloads: [ArraySlice<UInt8>] = []
        var offset = 0
        while offset < stream.count {
            let size = plan.nextReadSize(remaining: stream.count - offset)
            let read = UnsafeRawBufferPointer(rebasing: stream[offset..<offset + size])
            if plan.appendsRawMemory {
                decoder.append(read)
            } else {
                decoder.append(Array(read))
            }
            offset += size
            if offset == stream.count || plan.drainsNow() { drain(&decoder, into: &payloads) }
        }
        drain(&decoder, into: &payloads)
        compare(payloads, decoder, with: stream)
        return payloads
    }

    private static func drain(_ decoder: inout FrameDecoder, into payloads: inout [ArraySlice<UInt8>]) {
        while true {
            let buffered = decoder.bufferedByteCount
            let promised = decoder.hasCompleteFrame
            guard let payload = decoder.next() else {
                precondition(!promised, "hasCompleteFrame was true but next() returned nil")
                precondition(decoder.bufferedByteCount <= buffered, "next() grew the buffer")
                return
            }
            precondition(promised, "next() returned a frame that hasCompleteFrame did not promise")
            precondition(payload.count <= PacketEncoder.maximumPayload, "payload longer than a 2-byte length")
            payloads.append(payload)
        }
    }

    /// The reference reader: frames taken one after another from the whole stream.
    private static func compare(
        _ payloads: [ArraySlice<UInt8>], _ decoder: FrameDecoder, with stream: UnsafeRawBufferPointer
    ) {
        var position = 0
        var index = 0
        while stream.count - position >= PacketEncoder.headerSize {
            let length = Int(stream[position]) << 8 | Int(stream[position + 1])
            guard stream.count - position - PacketEncoder.headerSize >= length else { break }
            let body = stream[(position + 2)..<(position + 2 + length)]
            precondition(index < payloads.count, "decoder missed a whole frame")
            precondition(payloads[index].elementsEqual(body), "decoder returned a different payload")
            position += PacketEncoder.headerSize + length
            index += 1
        }
        precondition(index == payloads.count, "decoder returned a frame the stream does not hold")
        let remaining = stream.count - position
        if remaining >= PacketEncoder.headerSize {
            let length = Int(stream[position]) << 8 | Int(stream[position + 1])
            precondition(decoder.state == .awaitingBody(length: length), "wrong state inside a body")
            precondition(decoder.bufferedByteCount == remaining - PacketEncoder.headerSize, "lost or kept bytes")
        } else {
            precondition(decoder.state == .awaitingHeader, "wrong state inside a header")
            precondition(decoder.bufferedByteCount == remaining, "lost or kept header bytes")
        }
        precondition(!decoder.hasCompleteFrame, "a drained decoder still promises a frame")
    }
}
