import ChatProtocol
import ChatTLS

/// What the input thread and the receiver thread share, under the session's lock.
struct SessionState: Sendable {
    /// The connection that has sent `hello`; nil while disconnected.
    var connection: Connection?
    /// What the server supports: its `welcome`'s list, empty for a server without `welcome`, nil until the
    /// current connection's first packet says which.
    var serverFeatures: Features?
    /// The status bar.
    var status: SessionStatus
    /// The user is leaving (`/q`, end of input).
    var quitting = false
    /// The user asked to reconnect now.
    var retryRequested = false
    /// How the run ended by itself (rejected, gave up), if it did.
    var ended: ChatSession.Outcome?
    /// The password every `hello` carries; set once more when the user is asked for it.
    var password: String?
    /// The user may be asked for a password if the server refuses the first hello with `bad_password`
    /// (curses mode, no `--password-file`, not asked yet): the receiver then leaves that to the input thread.
    var mayAskPassword = false
    /// The server's `bad_password` reason, when the receiver left the question to the input thread.
    var passwordWanted: String?
    /// The certificate accepted for this run without verification (first use, `--trust`, the known-servers
    /// file): every reconnect must meet the same one.
    var pinned: CertificateFingerprint?
    /// Which of the session's `servers` the current (or last) connection went to.
    var serverIndex = 0
}

/// What a feature-gated command needs from the server, and the command's name for the refusal.
enum CommandRequirement {
    /// The feature `packet` needs the server's `welcome` to have listed, with the command that sends it;
    /// nil for base packets.
    static func of(_ packet: ClientPacket) -> (Features, String)? {
        switch packet {
        case .who: (.who, "/who")
        case .rooms: (.rooms, "/rooms")
        case .join: (.rooms, "/join")
        case .leave: (.rooms, "/leave")
        case .dm: (.dm, "/msg")
        case .emote: (.emote, "/me")
        case .nick: (.nick, "/nick")
        case .history: (.history, "/history")
        case .ping: (.ping, "ping")
        case .quit: (.resume, "quit")
        case .hello, .chat, .pong: nil
        }
    }
}
