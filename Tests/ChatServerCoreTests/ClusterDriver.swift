import ChatProtocol
import Testing

@testable import ChatServerCore

/// Drives several pure hubs in cluster mode through one log, the way Redis and the ClusterLinks do: each
/// submitted entry is run through a model of the Lua scripts (docs/CLUSTER.md, "The scripts"), numbered and
/// applied to every hub in the same order. What each hub answered is kept per node.
struct ClusterDriver {
    var hubs: [String: ChatHub] = [:]
    /// Every action each node's hub produced since the last `clear()`.
    var output: [String: [HubAction]] = [:]
    var time = HubTime(instant: .now, epochMilliseconds: 1_764_621_914_123)
    /// Submitted entries not yet run, in submission order.
    private var queue: [ClusterEntry] = []
    private var lastID = 0
    // The scripts' state: claims, owners, token hashes.
    private var nicks: [String: SessionID] = [:]
    private var owners: [SessionID: String] = [:]
    private var keys: [SessionID: String] = [:]
    private var tokens: [SessionID: String] = [:]

    init(nodes: [String], _ configure: (inout ServerConfiguration) -> Void = { _ in }) {
        for node in nodes {
            var configuration = ServerConfiguration(port: 0)
            configuration.cluster = ClusterSettings(host: "127.0.0.1", node: node)
            configure(&configuration)
            hubs[node] = ChatHub(configuration: configuration)
        }
    }

    mutating func clear() { output = [:] }

    /// One event on one node's hub; its submissions go to the log, and the log runs until nothing is left.
    mutating func event(_ event: HubEvent, on node: String, run: Bool = true) {
        var actions: [HubAction] = []
        hubs[node]?.handle(event, at: time, into: &actions)
        record(actions, on: node)
        if run { runLog() }
    }

    mutating func send(_ packet: ClientPacket, from id: ClientID, on node: String, run: Bool = true) throws {
        let frame = try PacketEncoder.frame(packet)
        event(.received(id, frame[2...]), on: node, run: run)
    }

    mutating func hello(
        _ nick: String, _ id: ClientID, on node: String, _ features: Features = Features.all.union(.session),
        _ options: ClientPacket.HelloOptions = .init(), run: Bool = true
    ) throws {
        try send(.hello(nick: nick, features: features, options: options), from: id, on: node, run: run)
    }

    private mutating func record(_ actions: [HubAction], on node: String) {
        output[node, default: []] += actions
        for case .submit(let entry) in actions { queue.append(entry) }
    }

    /// Runs every queued entry through the scripts, in order, applying each one that passes to every hub.
    mutating func runLog() {
        while !queue.isEmpty {
            let entry = queue.removeFirst()
            if let code = script(entry) {
                event(.refused(entry, code), on: entry.node, run: false)
            }
        }
    }

    /// The model of the scripts: nil when the entry was appended (and applied everywhere), else the refusal.
    private mutating func script(_ entry: ClusterEntry) -> ErrorCode? {
        var entry = entry
        switch entry.change {
        case .hello(let nick, _):
            let key = Names.key(nick)
            if let holder = nicks[key] {
                guard let offered = entry.offeredToken, tokens[holder] == offered else { return .nickInUse }
                entry.change = .resume
                entry.session = holder
                owners[holder] = entry.node
                tokens[holder] = entry.token
            } else {
                let session = SessionID(rawValue: UInt64(lastID + 1))
                nicks[key] = session
                owners[session] = entry.node
                keys[session] = key
                tokens[session] = entry.token
            }
        case .rename(let nick):
            guard let session = entry.session, owners[session] == entry.node else { return .noSuchNick }
            let key = Names.key(nick)
            if let holder = nicks[key], holder != session { return .nickInUse }
            if let old = keys[session], nicks[old] == session { nicks[old] = nil }
            nicks[key] = session
            keys[session] = key
        case .leave:
            guard let session = entry.session, owners[session] == entry.node else { return .noSuchNick }
            forget(session)
        case .restore(let nick, _):
            guard let session = entry.session else { return .noSuchNick }
            let key = Names.key(nick)
            if let holder = nicks[key], holder != session { return .nickInUse }
            nicks[key] = session
            owners[session] = entry.node
            keys[session] = key
            tokens[session] = entry.token
        default:
            guard let session = entry.session, owners[session] == entry.node else { return .noSuchNick }
        }
        append(entry)
        return nil
    }

    private mutating func forget(_ session: SessionID) {
        if let key = keys[session], nicks[key] == session { nicks[key] = nil }
        owners[session] = nil
        keys[session] = nil
        tokens[session] = nil
    }

    private mutating func append(_ entry: ClusterEntry) {
        lastID += 1
        var stored = entry
        (stored.token, stored.offeredToken) = (nil, nil)
        for node in hubs.keys.sorted() {
            event(.applied(stored, id: lastID, time: time.epochMilliseconds), on: node, run: false)
        }
    }

    /// Redis restarted empty: the claims are gone; ids go on (the nodes' `lease` raises `chat:seq`).
    mutating func restartStore() {
        nicks = [:]
        owners = [:]
        keys = [:]
        tokens = [:]
    }

    /// The `reap` script for a node whose lease ran out: one `leave` per session it still owns.
    mutating func reap(_ dead: String, stillRunning: Bool = false) {
        if !stillRunning { hubs[dead] = nil }
        for (session, owner) in owners.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where owner == dead {
            forget(session)
            append(ClusterEntry(node: dead, session: session, connection: nil, change: .leave(.reaped)))
        }
        runLog()
    }

    /// What `id` on `node`, with `features`, was sent.
    func packets(to id: ClientID, on node: String, _ features: Features = Features.all.union(.session)) throws
        -> [ServerPacket]
    {
        try ChatHubTests.packets(to: id, features: features, in: output[node] ?? [])
    }

    func closes(_ id: ClientID, on node: String) -> Bool {
        ChatHubTests.closes(id, output[node] ?? [])
    }
}
