import ChatSocket
import Synchronization

/// Asks a running `ServerLoop` to shut down; safe to use from any thread or a signal source.
public final class StopHandle: Sendable {
    let pipe: WakeupPipe
    private let requested = Atomic<Bool>(false)

    init(pipe: WakeupPipe) {
        self.pipe = pipe
    }

    /// Requests a clean shutdown: stop accepting, notify, flush for the grace period, close.
    public func requestStop() {
        requested.store(true, ordering: .releasing)
        pipe.wake()
    }

    var isRequested: Bool { requested.load(ordering: .acquiring) }
}
