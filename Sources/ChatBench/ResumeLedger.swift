/// Resume mode's counts across all clients.
struct ResumeLedger {
    /// Connections reset by the bench.
    var cuts = 0
    /// Planned cuts that found no client to cut (every one was still resuming or gone).
    var skipped = 0
    /// Resumes the server confirmed (`welcome` with `resumed: true`).
    var resumed = 0
    /// Resumes the server answered as a fresh session (`resumed: false`): the session was lost.
    var refused = 0
    /// Cut clients whose replay has not ended yet.
    var pending = 0
    /// Bench messages received in replays after a cut.
    var replayed: UInt64 = 0
    /// Bench messages whose `id` was not above the highest already seen, dropped as the client does.
    var duplicatesDropped: UInt64 = 0
    /// Replays whose end marker said older messages were left out (the gap exceeded the replay limit).
    var truncated = 0
    /// Messages of cut senders that the server never relayed, taken back and sent again.
    var takenBack: UInt64 = 0
    /// `leave` packets seen; a resume must show none.
    var leaves = 0
}
