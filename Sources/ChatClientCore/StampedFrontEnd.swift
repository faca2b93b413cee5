import ChatSystem
import Foundation

/// Another front end with timestamps and the transcript: every shown line passes through here.
///
/// With stamps off and no transcript a line goes through untouched and no clock is read, so the default
/// screens stay exactly as they were. Lines come from both threads; one lock keeps a date line next to the
/// line it introduces, on the screen and in the file alike.
public final class StampedFrontEnd: FrontEnd {
    private let inner: FrontEnd
    private let transcript: Transcript?
    private let zone: TimeZone
    private let now: @Sendable () -> Int64
    private let stamps: Locked<Timestamper>

    /// Shows lines through `inner`, stamped when `timestamps` is on, written to `transcript` when there is
    /// one. `zone` and `now` (milliseconds since the epoch, when a line arrives) are the local clock's.
    public init(
        _ inner: FrontEnd, timestamps: Bool, transcript: Transcript? = nil, zone: TimeZone = .current,
        now: @escaping @Sendable () -> Int64 = StampedFrontEnd.systemMilliseconds
    ) {
        self.inner = inner
        self.transcript = transcript
        self.zone = zone
        self.now = now
        stamps = Locked(Timestamper(isOn: timestamps))
    }

    /// The system clock in milliseconds since the epoch.
    public static let systemMilliseconds: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    public func show(_ line: DisplayLine) {
        stamps.withLock { stamps in
            guard stamps.isOn || transcript != nil else {
                inner.show(line)
                return
            }
            let time = LocalTime(of: line, received: now(), zone: zone)
            for shown in stamps.lines(for: line, at: time) { inner.show(shown) }
            record(line, time)
        }
    }

    /// `/timestamps` (`on` nil: the other way round): changes the lines shown from now on, and says so.
    public func setTimestamps(_ on: Bool?) {
        let isOn = stamps.withLock { stamps in
            stamps.set(on ?? !stamps.isOn)
            return stamps.isOn
        }
        show(.notice("*** timestamps \(isOn ? "on" : "off")"))
    }

    /// Appends to the transcript; a failure (a full disk) is said once, on the screen, and ends the
    /// transcript's part in the run rather than repeat on every line.
    private func record(_ line: DisplayLine, _ time: LocalTime) {
        guard let transcript, !transcriptFailed.withLock({ $0 }) else { return }
        do {
            try transcript.append(line.text, stamp: time.full)
        } catch {
            transcriptFailed.withLock { $0 = true }
            inner.show(.notice("*** transcript stopped: \(error)"))
        }
    }

    private let transcriptFailed = Locked(false)

    /// Older lines (PgUp past the top) get their time too, but no date line and no transcript entry: they go
    /// above lines already shown, where a date line would break the order, and the transcript is in arrival order.
    public func showOlder(_ lines: [DisplayLine]) {
        let isOn = stamps.withLock { $0.isOn }
        guard isOn else { return inner.showOlder(lines) }
        let received = now()
        inner.showOlder(
            lines.map { line in
                var stamped = line
                stamped.stamp = LocalTime(of: line, received: received, zone: zone).clock
                return stamped
            })
    }

    // MARK: - Passed through

    public func start() throws { try inner.start() }
    public func readLine(prompt: String) -> String? { inner.readLine(prompt: prompt) }
    public func update(_ status: SessionStatus) { inner.update(status) }
    public func connectionClosed() { inner.connectionClosed() }
    public func stop() { inner.stop() }
    public var holdsInputWhileDisconnected: Bool { inner.holdsInputWhileDisconnected }
    public func keepDraft(_ text: String) { inner.keepDraft(text) }
    public var canAsk: Bool { inner.canAsk }
    public func ask(_ question: String, hidden: Bool) -> String? { inner.ask(question, hidden: hidden) }
    public func whenOlderLinesWanted(_ handler: @escaping @Sendable () -> Void) { inner.whenOlderLinesWanted(handler) }
    public func clear() { inner.clear() }
    public func rosterChanged(_ others: [String]) { inner.rosterChanged(others) }
}
