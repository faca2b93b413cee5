/// How the load phase went.
struct LoadOutcome {
    /// From the start of the load to the last expected delivery (or the drain's timeout).
    var seconds = 0.0
    /// Some deliveries were still missing when the drain's timeout came.
    var drainTimedOut = false
}

extension LoadGenerator {
    /// Sends for `duration` seconds, cutting connections as `CutPlan` says in resume mode, then waits for the
    /// outstanding deliveries and resumes for at most `drainTimeout`.
    mutating func runLoad() -> LoadOutcome {
        let start = MonotonicClock.now()
        let end = MonotonicClock.adding(configuration.duration, to: start)
        let plan = CutPlan(
            count: configuration.cuts, clients: configuration.clients, duration: configuration.duration,
            seed: configuration.seed)
        var nextCut = 0
        while configuration.senders > 0 || nextCut < plan.cuts.count {
            let now = MonotonicClock.now()
            guard now < end else { break }
            while nextCut < plan.cuts.count && start &+ plan.cuts[nextCut].offset <= now {
                cut(planned: plan.cuts[nextCut].client)
                nextCut += 1
            }
            let wake = nextCut < plan.cuts.count ? min(end, start &+ plan.cuts[nextCut].offset) : end
            switch configuration.mode {
            case .max:
                fillWindows(now: now)
                pass(until: wake)
            case .rate:
                let nextDue = configuration.senders > 0 ? sendDue(start: start, now: now) : wake
                pass(until: min(wake, nextDue))
            }
        }
        let drainDeadline = MonotonicClock.adding(configuration.drainTimeout, to: MonotonicClock.now())
        while !isSettled && MonotonicClock.now() < drainDeadline {
            pass(until: drainDeadline)
        }
        let finished = MonotonicClock.now()
        return LoadOutcome(seconds: MonotonicClock.seconds(from: start, to: finished), drainTimedOut: !isSettled)
    }

    /// Every expected delivery arrived and no resume is still under way.
    private var isSettled: Bool { tracker.unique >= tracker.totalExpected && resume.pending == 0 }

    /// Whether `sender` may send now: connected, and not waiting for the replay that follows a resume.
    private func isSending(_ sender: Int) -> Bool {
        clients[sender].state == .connected && !clients[sender].isResuming
    }

    /// Max mode: every sender sends as many messages as its window allows, in one `send`.
    private mutating func fillWindows(now: UInt64) {
        for sender in 0..<configuration.senders where isSending(sender) {
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
    /// sender m mod senders; a sender that is resuming skips its turn); returns when the next one is due.
    private mutating func sendDue(start: UInt64, now: UInt64) -> UInt64 {
        let nanosecondsPerMessage = 1e9 / configuration.rate
        let due = UInt64(Double(now - start) / nanosecondsPerMessage) + 1
        let senders = UInt64(configuration.senders)
        while rateScheduled < due {
            let sender = Int(rateScheduled % senders)
            rateScheduled += 1
            guard isSending(sender) else { continue }
            let sequence = tracker.nextSequence(for: sender)
            Self.appendMessage(sender: sender, sequence: sequence, sentAt: now, to: &clients[sender].outbound)
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
