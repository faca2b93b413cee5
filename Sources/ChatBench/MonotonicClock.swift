#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Nanosecond readings of `CLOCK_MONOTONIC`, the clock every timestamp in a bench message is taken on.
enum MonotonicClock {
    /// Wraps `clock_gettime(2)` with `CLOCK_MONOTONIC` (a vDSO call, no syscall).
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// Seconds between two readings.
    static func seconds(from start: UInt64, to end: UInt64) -> Double {
        Double(end &- start) / 1e9
    }

    /// A reading `seconds` after `start`.
    static func adding(_ seconds: Double, to start: UInt64) -> UInt64 {
        start &+ UInt64(max(0, seconds) * 1e9)
    }
}
