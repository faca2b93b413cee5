/// Checks every delivery of a bench message and keeps the counts and the latency histogram.
///
/// Each receiver expects each sender's sequence numbers in order, from 0. A number above the expected one
/// is out of order (the skipped ones are counted lost unless they turn up), one below it is a duplicate. In max
/// mode a ring per sender counts how many receivers have each message in flight, so a sender can be held to a
/// window of messages not yet delivered to every receiver.
struct DeliveryTracker {
    let receivers: Int
    let senders: Int
    /// Messages per sender not yet delivered everywhere; 0 for no window.
    let window: Int

    /// The next sequence number each receiver expects from each sender, `receiver * senders + sender`.
    private var expected: [UInt64]
    /// Per sender, the next sequence number it will send.
    private(set) var sent: [UInt64]
    /// Per sender, the lowest sequence number not yet delivered to every receiver.
    private(set) var settled: [UInt64]
    /// Per sender, receivers that hold each in-flight message, `sender * window + sequence % window`.
    private var arrivals: [UInt32]

    private(set) var delivered: UInt64 = 0
    private(set) var duplicated: UInt64 = 0
    private(set) var outOfOrder: UInt64 = 0
    /// Deliveries whose sender index was not one of ours.
    private(set) var foreign: UInt64 = 0
    private(set) var latency = LatencyHistogram()

    init(receivers: Int, senders: Int, window: Int) {
        self.receivers = receivers
        self.senders = senders
        self.window = window
        expected = Array(repeating: 0, count: receivers * senders)
        sent = Array(repeating: 0, count: senders)
        settled = Array(repeating: 0, count: senders)
        arrivals = Array(repeating: 0, count: senders * window)
    }

    /// Messages sent by every sender together.
    var totalSent: UInt64 { sent.reduce(0, +) }

    /// Deliveries that should happen: every message reaches every receiver, its sender included.
    var totalExpected: UInt64 { totalSent * UInt64(receivers) }

    /// Deliveries that arrived once: all of them when nothing is missing.
    var unique: UInt64 { delivered - duplicated }

    /// Expected deliveries that never arrived.
    var lost: UInt64 { totalExpected > unique ? totalExpected - unique : 0 }

    /// Whether `sender` may send another message under the window.
    func canSend(_ sender: Int) -> Bool {
        window == 0 || sent[sender] - settled[sender] < UInt64(window)
    }

    /// Takes the next sequence number for `sender`.
    mutating func nextSequence(for sender: Int) -> UInt64 {
        defer { sent[sender] += 1 }
        return sent[sender]
    }

    /// Checks one delivery of `sequence` from `sender` to `receiver`; a replayed one (resent from history after
    /// a cut) stays out of the latency histogram, which describes live deliveries.
    mutating func record(
        receiver: Int, sender: Int, sequence: UInt64, sentAt: UInt64, now: UInt64, replayed: Bool = false
    ) {
        guard sender >= 0 && sender < senders && sequence < sent[sender] else {
            foreign &+= 1
            return
        }
        delivered &+= 1
        if !replayed { latency.record(now &- sentAt) }
        let slot = receiver * senders + sender
        let next = expected[slot]
        if sequence < next {
            duplicated &+= 1
            return
        }
        if sequence > next { outOfOrder &+= 1 }
        expected[slot] = sequence + 1
        if window > 0 { arrived(sender: sender, sequence: sequence) }
    }

    /// After a cut sender's replay: its messages that the server never relayed (not even to the sender itself,
    /// whose replay holds every message relayed while it was away) are taken back, and their sequence numbers
    /// are sent again. Returns how many were taken back.
    mutating func takeBackUnrelayed(of sender: Int) -> UInt64 {
        // The first `senders` clients send, so the sender's own receiver index is `sender`.
        let relayed = expected[sender * senders + sender]
        guard relayed < sent[sender] else { return 0 }
        let count = sent[sender] - relayed
        if window > 0 {
            for sequence in max(relayed, settled[sender])..<sent[sender] {
                arrivals[sender * window + Int(sequence % UInt64(window))] = 0
            }
        }
        sent[sender] = relayed
        return count
    }

    private mutating func arrived(sender: Int, sequence: UInt64) {
        guard sequence >= settled[sender] else { return }
        let base = sender * window
        arrivals[base + Int(sequence % UInt64(window))] += 1
        while settled[sender] < sent[sender] {
            let slot = base + Int(settled[sender] % UInt64(window))
            guard arrivals[slot] >= UInt32(receivers) else { break }
            arrivals[slot] = 0
            settled[sender] += 1
        }
    }
}
