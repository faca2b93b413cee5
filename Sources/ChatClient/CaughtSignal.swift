import Synchronization

/// The first termination signal the curses client caught, for its exit status; safe from any thread.
final class CaughtSignal: Sendable {
    private let caught = Atomic<Int32>(0)

    /// Notes `number` unless a signal was noted before.
    func record(_ number: Int32) {
        _ = caught.compareExchange(expected: 0, desired: number, ordering: .sequentiallyConsistent)
    }

    /// The signal noted, or nil.
    var number: Int32? {
        let value = caught.load(ordering: .sequentiallyConsistent)
        return value == 0 ? nil : value
    }
}
