/// Latencies in nanoseconds in log-linear buckets, HdrHistogram style: values below 64 are exact, above that
/// each power of two is split into 32 buckets (at most about 3% error). Recording allocates nothing.
struct LatencyHistogram {
    private static let exactLimit: UInt64 = 64
    private static let subBuckets = 32
    private static let bucketCount = 64 + 58 * 32

    private var counts: [UInt64]
    /// How many values were recorded.
    private(set) var total: UInt64 = 0
    /// The largest value recorded, exactly.
    private(set) var maximum: UInt64 = 0

    init() {
        counts = Array(repeating: 0, count: Self.bucketCount)
    }

    /// Adds one value.
    mutating func record(_ value: UInt64) {
        counts[Self.bucket(of: value)] &+= 1
        total &+= 1
        if value > maximum { maximum = value }
    }

    /// The value at or below which `percent` of the values lie, as the upper edge of its bucket.
    func percentile(_ percent: Double) -> UInt64 {
        guard total > 0 else { return 0 }
        let rank = max(1, UInt64((percent / 100 * Double(total)).rounded(.up)))
        var seen: UInt64 = 0
        for index in counts.indices {
            seen += counts[index]
            if seen >= rank { return min(Self.upperEdge(of: index), maximum) }
        }
        return maximum
    }

    static func bucket(of value: UInt64) -> Int {
        if value < exactLimit { return Int(value) }
        let exponent = 63 - value.leadingZeroBitCount  // 6...63
        let mantissa = Int(truncatingIfNeeded: value >> UInt64(exponent - 5))  // 32...63
        return 64 + (exponent - 6) * subBuckets + (mantissa - subBuckets)
    }

    static func upperEdge(of bucket: Int) -> UInt64 {
        if bucket < Int(exactLimit) { return UInt64(bucket) }
        let exponent = (bucket - 64) / subBuckets + 6
        let mantissa = UInt64((bucket - 64) % subBuckets + subBuckets)
        return ((mantissa + 1) << UInt64(exponent - 5)) &- 1
    }
}
