/// What a node loads when it starts (docs/CLUSTER.md, "Startup"): every session of the cluster and the recent
/// room history, as of one position of the log, from which it then tails.
public struct ClusterSnapshot: Equatable, Sendable {
    /// A session as the store keeps it.
    public struct SessionRecord: Equatable, Sendable {
        public var id: SessionID
        public var node: String
        public var nick: String
        public var room: String

        public init(id: SessionID, node: String, nick: String, room: String) {
            self.id = id
            self.node = node
            self.nick = nick
            self.room = room
        }
    }

    public var sessions: [SessionRecord]
    /// Chat and emote entries, oldest first.
    public var history: [HistoryEntry]

    public init(sessions: [SessionRecord], history: [HistoryEntry]) {
        self.sessions = sessions
        self.history = history
    }
}
