import ChatProtocol

/// Every connection's output queue, indexed by descriptor number.
///
/// The fan-out lives here, in a mutating method of a struct, so that queueing one frame for a whole room is one
/// access to the loop's storage: called per member on the loop (a class), every queue append would pay the
/// runtime's exclusivity check, which profiling showed cost more than the copy itself.
struct OutboundQueues {
    private var queues: [OutboundQueue] = []

    subscript(fd: Int32) -> OutboundQueue {
        get { queues[Int(fd)] }
        _modify { yield &queues[Int(fd)] }
    }

    var indices: Range<Int> { queues.indices }

    /// Makes room for descriptor `fd`.
    mutating func reserve(_ fd: Int32) {
        let index = Int(fd)
        if index >= queues.count {
            queues.append(contentsOf: repeatElement(OutboundQueue(), count: index - queues.count + 1))
        }
    }

    /// Queues `frame` for every member, or `downgraded` for a member lacking `feature` when it is given.
    /// Members queued first this pass are appended to `flush`; members whose queue would pass `limit` are left
    /// out and appended to `overLimit` (with whether they wanted the downgraded form) for the slow path.
    mutating func fanOut(
        _ frame: UnsafeBufferPointer<UInt8>, downgraded: UnsafeBufferPointer<UInt8>?, feature: Features,
        to members: [ChatHub.Member], limit: Int, flush: inout [Int32], overLimit: inout [(Int32, Bool)]
    ) {
        for member in members {
            let wantsDowngrade = downgraded != nil && !member.features.contains(feature)
            let form = wantsDowngrade ? downgraded ?? frame : frame
            switch queues[Int(member.id.rawValue)].queue(form, limit: limit) {
            case .queuedFirst: flush.append(member.id.rawValue)
            case .overLimit: overLimit.append((member.id.rawValue, wantsDowngrade))
            case .queued, .refused: continue
            }
        }
    }
}
