/// One connection, as the hub and the loop know it: the descriptor number (the slot in the loop's dense arrays)
/// and a generation that tells this connection from any later one that reuses the descriptor.
public struct ClientID: Hashable, Sendable, CustomStringConvertible {
    /// The socket's descriptor number, so a slot costs one array access.
    public let slot: Int32
    /// Counts the connections that have held `slot`; never 0, which stands for "nobody".
    public let generation: UInt32

    public init(slot: Int32, generation: UInt32 = 1) {
        precondition(slot >= 0 && generation != 0, "a client id needs a slot and a nonzero generation")
        self.slot = slot
        self.generation = generation
    }

    public var description: String { "#\(slot).\(generation)" }
}
