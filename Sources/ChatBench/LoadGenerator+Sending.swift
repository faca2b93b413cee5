/// How the load phase went.
struct LoadOutcome {
    /// From the start of the load to the last expected delivery (or the drain's timeout).
    var seconds = 0.0
    /// Some deliveries were still missing when the drain's timeout came.
    var drainTimedOut = false
}

extension LoadGenerator {
    /// Sends for `duration` seconds, then waits for the outstanding deliveries for at most `drainTimeout`.
    mutating func runLoad() -> LoadOutcome {
        let start = MonotonicClock.now()
        let end = MonotonicClock.adding(configuration.duration, to: start)
        while configuration.senders > 0 {
            let now = MonotonicClock.now()
            guard now < end else { break }
            switch configuration.mode {
            case .max:
                fillWindows(now: now)
                pass(until: end)
            case .rate:
                let nextDue = sendDue(start: start, now: now)
                pass(until: min(end, nextDue))
            }
        }
        let drainDeadline = MonotonicClock.adding(configuration.drainTimeout, to: MonotonicClock.now())
        while tracker.unique < tracker.totalExpected && MonotonicClock.now() < drainDeadline {
            pass(until: drainDeadline)
        }
        let finished = MonotonicClock.now()
        return LoadOutcome(
            seconds: MonotonicClock.seconds(from: start, to: finished),
            drainTimedOut: tracker.unique < tracker.totalExpected)
    }

    /// Max mode: every sender sends as many messages as its window allows, in one `send`.
    private mutating func fillWindows(now: UInt64) {
        for sender in 0..<configuration.senders where clients[sender].state == .connected {
            guard clients[sender].pendingOutput < 64 * 1024 else { continue }
            var queued = false
            while tracker.canSend(sender) {
                let sequence = tracker.nextSequence(for: sender)
                Self.appendMessage(sender: sender, sequence: sequence, sentAt: now, to: &clients[sender].outbound)
                queued = true
            }
            if queued { flush(sender) }
        }
    }

    /// Rate mode: sends every message due by `now` (message m is due m / rate seconds after `start`, from
    /// sender m mod senders); returns when the next one is due.
    private mutating func sendDue(start: UInt64, now: UInt64) -> UInt64 {
        let nanosecondsPerMessage = 1e9 / configuration.rate
        let due = UInt64(Double(now - start) / nanosecondsPerMessage) + 1
        var message = tracker.totalSent
        let senders = UInt64(configuration.senders)
        while message < due {
            let sender = Int(message % senders)
            let sequence = tracker.nextSequence(for: sender)
            Self.appendMessage(sender: sender, sequence: sequence, sentAt: now, to: &clients[sender].outbound)
            message += 1
        }
        for sender in 0..<configuration.senders { flush(sender) }
        return start + UInt64(Double(due) * nanosecondsPerMessage)
    }

    // MARK: - Encoding

    private static let messagePrefix = Array(#"{"type":"chat","message":"b "#.utf8)

    /// Appends the frame of `{"type":"chat","message":"b SENDER SEQUENCE NANOSECONDS"}`, written byte by byte
    /// (the same bytes `PacketEncoder` writes, without building a `String` per message).
    static func appendMessage(sender: Int, sequence: UInt64, sentAt: UInt64, to bytes: inout [UInt8]) {
        let header = bytes.count
        bytes.append(0)
        bytes.append(0)
        bytes.append(contentsOf: messagePrefix)
        appendDecimal(UInt64(sender), to: &bytes)
        bytes.append(UInt8(ascii: " "))
        appendDecimal(sequence, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        appendDecimal(sentAt, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: "}"))
        let length = bytes.count - header - 2
        bytes[header] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[header + 1] = UInt8(truncatingIfNeeded: length)
    }

    private static func appendDecimal(_ value: UInt64, to bytes: inout [UInt8]) {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        bytes.append(contentsOf: repeatElement(0, count: digits))
        var index = bytes.count - 1
        var remaining = value
        repeat {
            bytes[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
            index -= 1
        } while remaining > 0
    }
}
