import Foundation

/// A dedicated thread that can be joined: blocking reads stay off Swift's cooperative pool.
final class ReceiverThread {
    private let thread: Thread
    private let finished = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () -> Void) {
        let finished = finished
        thread = Thread {
            body()
            finished.signal()
        }
        thread.name = "receiver"
    }

    func start() { thread.start() }

    /// Waits until the body has returned.
    func join() { finished.wait() }
}
