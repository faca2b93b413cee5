import ChatProtocol
import ChatText

/// Scrollback beyond what the client holds: PgUp past the top asks the server for older messages of the room
/// (`history before`), and `/clear`. The input thread only raises a flag and wakes the receiver thread, which
/// owns the ledger and sends the request, so that the answer is told from new lines in order.
extension ChatSession {
    /// The front end wants lines older than its oldest (any thread; returns at once).
    func wantOlder() {
        state.withLock { $0.olderWanted = true }
        linkWakeup?.wake()
    }

    /// `/clear` (input thread): the receiver clears the screen after the lines it has shown so far.
    func requestClear() {
        state.withLock { $0.clearWanted = true }
        linkWakeup?.wake()
    }

    /// Receiver thread: sends `history before` to a server that keeps history, once the room's replay (after
    /// the `welcome` or the move) has ended, unless a request is out, nothing older is left, or this room has shown no message
    /// to count back from.
    func askOlder(_ connection: Connection, _ link: inout LinkContext) {
        guard state.withLock({ $0.serverFeatures })?.contains(.history) == true, link.roomReplayEnded,
            let before = link.older.nextRequest()
        else { return }
        link.ledger.expectOlder()
        do {
            try connection.send(.history(before: before, limit: OlderHistory.batchSize))
        } catch {
            // The receiver meets the same failure on its next read and reconnects; the user may ask again.
            link.older.requestLost()
        }
    }

    /// Receiver thread: empties the screen; the next PgUp at the top brings the room's last messages back.
    func clearScreen(_ link: inout LinkContext, _ frontEnd: FrontEnd) {
        link.older.cleared()
        frontEnd.clear()
    }

    /// Our own `join` or a `welcome`: in another room than before, the history to page back through is
    /// that room's.
    func enter(_ room: String, _ link: inout LinkContext) {
        let current = state.withLock { $0.status.room }
        guard Names.key(room) != Names.key(current) else { return }
        link.older.enteredRoom()
        link.ledger.cancelOlder()
        link.roomReplayEnded = false
    }

    /// The answer to `history before`, above every line shown: `*** no older messages in ROOM` first when
    /// nothing older is left.
    func showOlder(
        _ packets: [ServerPacket], _ end: ServerPacket.HistoryEnd, _ formatter: DisplayFormatter,
        _ frontEnd: FrontEnd
    ) {
        var lines = packets.map { formatter.line(for: $0) }
        if end.complete == true {
            lines.insert(.notice("*** no older messages in \(end.room)"), at: 0)
        }
        frontEnd.showOlder(lines)
    }
}

extension OlderHistory {
    /// What the ledger let out: messages shown move the bounds, an older answer ends the request.
    mutating func note(_ entries: [MessageLedger.Entry]) {
        for entry in entries {
            switch entry {
            case .packet(let packet): shown(packet)
            case .older(let packets, let end): answered(packets, complete: end.complete == true)
            case .marker: break
            }
        }
    }
}
