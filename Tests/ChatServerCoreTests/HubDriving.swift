import ChatProtocol
import Testing

@testable import ChatServerCore

/// Drives a pure `ChatHub` with a test clock: the suites of the session extensions share it.
protocol HubDriving {
    var hub: ChatHub { get set }
    var time: HubTime { get set }
}

extension HubDriving {
    static var everything: Features { Features.all.union(.session) }
    static var pat: ClientID { ClientID(slot: 5) }
    static var leslie: ClientID { ClientID(slot: 6) }
    static var chris: ClientID { ClientID(slot: 7) }

    static func hub(_ configure: (inout ServerConfiguration) -> Void = { _ in }) -> ChatHub {
        var configuration = ServerConfiguration(port: 0)
        configure(&configuration)
        return ChatHub(configuration: configuration)
    }

    mutating func advance(_ milliseconds: Int64) {
        time.instant += .milliseconds(milliseconds)
        time.epochMilliseconds += milliseconds
    }

    @discardableResult
    mutating func send(_ packet: ClientPacket, from id: ClientID) throws -> [HubAction] {
        let frame = try PacketEncoder.frame(packet)
        var actions: [HubAction] = []
        hub.handle(.received(id, frame[2...]), at: time, into: &actions)
        return actions
    }

    @discardableResult
    mutating func event(_ event: HubEvent) -> [HubAction] {
        var actions: [HubAction] = []
        hub.handle(event, at: time, into: &actions)
        return actions
    }

    /// What `id`, with `features`, receives from `actions`.
    static func packets(to id: ClientID, _ features: Features, in actions: [HubAction]) throws -> [ServerPacket] {
        try ChatHubTests.packets(to: id, features: features, in: actions)
    }

    @discardableResult
    mutating func hello(
        _ nick: String, _ id: ClientID, _ features: Features = everything,
        _ options: ClientPacket.HelloOptions = ClientPacket.HelloOptions()
    ) throws -> [ServerPacket] {
        try Self.packets(to: id, features, in: send(.hello(nick: nick, features: features, options: options), from: id))
    }

    static func welcome(_ packets: [ServerPacket]) -> ServerPacket.Welcome? {
        guard case .welcome(let welcome)? = packets.first else { return nil }
        return welcome
    }

}
