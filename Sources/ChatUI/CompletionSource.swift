import ChatSystem

/// The words Tab completes from: set from any thread (the client core's receiver thread, as the room's members
/// change), read by the input thread at each Tab, under a lock (`Locked`).
public final class CompletionSource: Sendable {
    private let candidates = Locked(TabCompletion.Candidates())

    public init() {}

    /// The room's members other than this client, in the order Tab offers them (the protocol's list order).
    public func setNicks(_ nicks: [String]) {
        candidates.withLock { $0.nicks = nicks }
    }

    /// The command names (without `/`), in the order Tab offers them.
    public func setCommands(_ commands: [String]) {
        candidates.withLock { $0.commands = commands }
    }

    /// Both lists as they are now.
    var current: TabCompletion.Candidates {
        candidates.withLock { $0 }
    }
}
