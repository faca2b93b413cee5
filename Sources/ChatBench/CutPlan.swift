/// Resume mode's schedule: when during the load a connection is cut, and which client's, drawn from a seed so
/// that a run's schedule can be repeated.
struct CutPlan {
    /// One planned cut: nanoseconds after the start of the load, and the client to cut (or, if that one cannot
    /// be cut at that moment, the next one that can).
    struct Cut: Equatable {
        var offset: UInt64
        var client: Int
    }

    /// The cuts in time order.
    let cuts: [Cut]

    /// `count` cuts at uniformly random moments in the middle 80 % of `duration` seconds, each of a uniformly
    /// random one of `clients`, senders included.
    init(count: Int, clients: Int, duration: Double, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let span = UInt64(max(0, duration) * 0.8e9)
        let lead = UInt64(max(0, duration) * 0.1e9)
        cuts = (0..<count).map { _ in
            let offset = lead + (span > 0 ? random.next() % span : 0)
            return Cut(offset: offset, client: Int(random.next() % UInt64(max(1, clients))))
        }
        .sorted { $0.offset < $1.offset }
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a small, fast generator whose output depends only on its seed.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
