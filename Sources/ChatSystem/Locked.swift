#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A value behind a `pthread_mutex`, for state that more than one thread touches (`pthread_mutex_lock(3)`).
///
/// Used instead of `Synchronization.Mutex`: ThreadSanitizer sees `pthread_mutex_lock`, but not the futex inside
/// `Mutex` on Linux, so it reports every contended `Mutex` access as a race (and the process then exits 66),
/// which would bury a real race among false ones.
public final class Locked<Value>: @unchecked Sendable {  // Every access to `value` holds `mutex`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ value: Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        self.value = value
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value, holding the lock.
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure)
        -> Result
    {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
