/// A descriptor set for `select(2)` that grows with the highest descriptor.
///
/// `fd_set` holds only `FD_SETSIZE` (1024) bits, and `FD_SET` past that silently writes beyond it. The kernel
/// itself takes any `nfds` up to the descriptor limit, reading `nfds` bits laid out as an array of longs; this
/// set keeps such an array of its own, so the server is not capped at 1024 clients.
public struct SelectSet: Sendable {
    private(set) var words: [UInt] = []
    private static let bitsPerWord = UInt.bitWidth

    public init() {}

    /// One more than the highest descriptor the set could hold: select's `nfds`.
    public var capacity: Int { words.count * Self.bitsPerWord }

    /// Adds `fd`, growing the set as needed.
    public mutating func insert(_ fd: SocketDescriptor) {
        let (word, bit) = Self.position(of: fd)
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word - words.count + 1)) }
        words[word] |= 1 << bit
    }

    /// Removes `fd`.
    public mutating func remove(_ fd: SocketDescriptor) {
        let (word, bit) = Self.position(of: fd)
        if word < words.count { words[word] &= ~(1 << bit) }
    }

    /// Whether `fd` is in the set.
    public func contains(_ fd: SocketDescriptor) -> Bool {
        let (word, bit) = Self.position(of: fd)
        return word < words.count && words[word] & (1 << bit) != 0
    }

    /// Makes this set hold exactly what `other` holds, reusing its storage.
    public mutating func assign(_ other: SelectSet) {
        if words.count == other.words.count {
            for index in words.indices { words[index] = other.words[index] }
        } else {
            words = other.words
        }
    }

    /// Grows the set to hold `count` words, so that sets passed to one `select` call agree in size.
    mutating func reserveWords(_ count: Int) {
        if words.count < count { words.append(contentsOf: repeatElement(0, count: count - words.count)) }
    }

    var wordCount: Int { words.count }

    mutating func withUnsafeMutableWords<T>(_ body: (UnsafeMutablePointer<UInt>?) -> T) -> T {
        words.withUnsafeMutableBufferPointer { body($0.baseAddress) }
    }

    /// Calls `body` for each descriptor in the set, lowest first.
    public func forEach(_ body: (SocketDescriptor) -> Void) {
        for (index, word) in words.enumerated() where word != 0 {
            var remaining = word
            while remaining != 0 {
                let bit = remaining.trailingZeroBitCount
                remaining &= remaining - 1
                body(SocketDescriptor(rawValue: CInt(index * Self.bitsPerWord + bit)))
            }
        }
    }

    private static func position(of fd: SocketDescriptor) -> (word: Int, bit: Int) {
        precondition(fd.rawValue >= 0, "negative descriptor in a select set")
        return (Int(fd.rawValue) / bitsPerWord, Int(fd.rawValue) % bitsPerWord)
    }
}
