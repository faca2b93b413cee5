import ChatProtocol

/// Every connection's output queue, indexed by descriptor number.
///
/// The fan-out lives here, in a mutating method of a struct, so that queueing one frame for a whole room is one
/// access to the loop's storage: called per member on the loop (a class), every queue append would pay the
/// runtime's exclusivity check, which profiling showed cost more than the copy itself.
struct OutboundQueues {
    private var queues: [OutboundQueue] = []

    subscript(slot: Int32) -> OutboundQueue {
        get { queues[Int(slot)] }
        _modify { yield &queues[Int(slot)] }
    }

    /// Gives a new connection an empty queue of its own.
    mutating func open(for id: ClientID) {
        let index = Int(id.slot)
        if index >= queues.count {
            queues.append(contentsOf: repeatElement(OutboundQueue(), count: index - queues.count + 1))
        }
        queues[index] = OutboundQueue(recipient: id.generation)
    }

    /// Queues one frame for one connection.
    mutating func queue(_ frame: UnsafeBufferPointer<UInt8>, for id: ClientID, limit: Int) -> OutboundQueue.Outcome {
        guard Int(id.slot) < queues.count else { return .refused }
        return queues[Int(id.slot)].queue(frame, for: id.generation, limit: limit)
    }

    /// Queues each member's form of `delivery` (its bytes at hand as `bytes`). Members queued into an empty queue
    /// are appended to `flush`; members whose queue would pass `limit` are left out and appended to `overLimit`
    /// (with the form they need) for the slow path.
    mutating func fanOut(
        _ delivery: Delivery, bytes: UnsafeBufferPointer<UInt8>, limit: Int, flush: inout [ClientID],
        overLimit: inout [(ClientID, Int)]
    ) {
        let forms = delivery.ranges.map { UnsafeBufferPointer(rebasing: bytes[$0]) }
        for member in delivery.members {
            let form = delivery.form(for: member.features)
            switch queues[Int(member.id.slot)].queue(forms[form], for: member.id.generation, limit: limit) {
            case .queuedFirst: flush.append(member.id)
            case .overLimit: overLimit.append((member.id, form))
            case .queued, .refused: continue
            }
        }
    }
}
