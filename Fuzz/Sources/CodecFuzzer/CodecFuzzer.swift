import ChatProtocol

/// The libFuzzer entry point: `LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)`.
///
/// Input layout: one control byte, then the byte stream a peer might send. The control byte picks how the stream
/// is cut into reads (see `Plan`), so libFuzzer mutates the splits as well as the bytes. Every invariant is a
/// `precondition`, which traps and makes libFuzzer save the input as a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let input = UnsafeRawBufferPointer(start: start, count: count)
    let plan = Plan(control: input[0], streamLength: count - 1)
    let stream = UnsafeRawBufferPointer(rebasing: input[1...])
    for payload in StreamCheck.frames(of: stream, plan: plan) {
        PacketCheck.client(payload, viaCopy: plan.decodesViaCopy)
        PacketCheck.server(payload)
    }
    return 0
}
