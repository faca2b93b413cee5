/// How one fuzz input is fed to the decoder, taken from its control byte.
///
/// Bits 0–2 choose the range of read sizes, bit 3 the `append` overload, bit 4 whether every read is drained at
/// once, bit 5 whether payloads are also decoded through a non-contiguous collection; all eight bits seed the
/// generator that draws the sizes.
struct Plan {
    let sizeClass: UInt8
    let appendsRawMemory: Bool
    let drainsEveryRead: Bool
    let decodesViaCopy: Bool
    private var random: SplitMix

    init(control: UInt8, streamLength: Int) {
        sizeClass = control & 7
        appendsRawMemory = control & 8 != 0
        drainsEveryRead = control & 16 != 0
        decodesViaCopy = control & 32 != 0
        random = SplitMix(seed: UInt64(control) << 32 | UInt64(truncatingIfNeeded: streamLength))
    }

    /// The size of the next read, at least 1.
    mutating func nextReadSize(remaining: Int) -> Int {
        let size: Int
        switch sizeClass {
        case 0: size = remaining
        case 1: size = 1
        case 2: size = 1 + random.below(3)
        case 3: size = 1 + random.below(16)
        case 4: size = 1 + random.below(512)
        case 5: size = 1 + random.below(8192)
        case 6: size = Self.edges[random.below(Self.edges.count)]
        default: size = 1 + random.below(70_000)
        }
        return min(size, remaining)
    }

    /// Whether to call `next()` after this read, or keep appending first.
    mutating func drainsNow() -> Bool {
        drainsEveryRead || random.below(4) == 0
    }

    /// Sizes at the edges of the header and of the largest payload.
    private static let edges = [1, 2, 3, 255, 256, 257, 65_535, 65_536, 65_537]
}

/// SplitMix64: a tiny deterministic generator, so that the same input always takes the same path.
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func below(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}
