import ChatProtocol

extension ChatHub {
    /// What happened on the network.
    public enum Event {
        /// A whole frame payload arrived from `ClientID`.
        case received(ClientID, ArraySlice<UInt8>)
        /// The connection is gone (closed, reset, dropped, or timed out).
        case disconnected(ClientID)
        /// The server is shutting down: extended clients get an `info` notice.
        case shutdown
    }

    /// What the loop must do in answer, in order.
    public enum Action {
        /// Queue one frame for one client.
        case send(ClientID, [UInt8])
        /// Queue `frame` for every member; a member lacking `feature` gets `downgraded` instead, if given.
        case deliver([Member], frame: [UInt8], downgraded: [UInt8]?, feature: Features)
        /// Send what is queued, then close: the protocol's policy for any error before `hello`.
        case close(ClientID)
        /// Something an operator wants in the log.
        case note(Note)
    }

    /// Loggable happenings.
    public enum Note: Equatable, Sendable {
        case joined(ClientID, nick: String)
        case left(ClientID, nick: String)
        case moved(ClientID, nick: String, room: String)
        case rejected(ClientID, code: ErrorCode, reason: String)
    }

    /// A member of a room, with what it needs for delivery at hand.
    public struct Member: Sendable {
        public let id: ClientID
        public let features: Features
    }

    /// A joined connection.
    struct Session {
        var nick: String
        var nickKey: String
        var features: Features
        var roomKey: String
    }

    /// A room: its name as its creator spelled it, and its members.
    struct Room {
        var name: String
        private(set) var members: [Member] = []
        private var positions: [ClientID: Int] = [:]

        init(name: String) { self.name = name }

        var isEmpty: Bool { members.isEmpty }

        mutating func add(_ member: Member) {
            positions[member.id] = members.count
            members.append(member)
        }

        /// Swap-removes, so leaving a room of ten thousand costs O(1).
        mutating func remove(_ id: ClientID) {
            guard let index = positions.removeValue(forKey: id) else { return }
            let last = members.removeLast()
            if index < members.count {
                members[index] = last
                positions[last.id] = index
            }
        }
    }
}
