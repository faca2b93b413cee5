import ChatProtocol
import Testing

@testable import ChatClientCore

@Suite struct RosterTests {
    @Test func entryKnowsOnlyOneselfUntilTheWhoReply() {
        var roster = Roster()
        roster.enter("lobby", me: "pat")
        #expect(roster.nicks == ["pat"])
        let replaced = roster.replace(room: "LOBBY", nicks: ["chris", "leslie", "pat"])
        #expect(replaced)
        #expect(roster.nicks == ["chris", "leslie", "pat"])
    }

    @Test func aWhoReplyAboutAnotherRoomChangesNothing() {
        var roster = Roster()
        roster.enter("games", me: "pat")
        let replaced = roster.replace(room: "lobby", nicks: ["chris", "pat"])
        #expect(!replaced)
        #expect(roster.nicks == ["pat"])
    }

    @Test func joinsLeavesAndMovesOfThisRoomOnly() {
        var roster = Roster()
        roster.enter("games", me: "pat")
        roster.joined("leslie", room: "Games")
        roster.joined("chris", room: "lobby")
        #expect(roster.nicks == ["leslie", "pat"])
        roster.left("LESLIE", room: "games")
        #expect(roster.nicks == ["pat"])
        roster.joined("bo", room: "games")
        roster.left("bo", room: "lobby")
        #expect(roster.nicks == ["bo", "pat"])
    }

    /// A base server names no room: it has one, so every join and leave is about it.
    @Test func packetsWithoutARoomAreAboutThisOne() {
        var roster = Roster()
        roster.enter("lobby", me: "pat")
        roster.joined("leslie", room: nil)
        #expect(roster.contains("Leslie"))
        roster.left("leslie", room: nil)
        #expect(!roster.contains("leslie"))
    }

    /// Names compare by `Names.key`: case and canonical equivalence; the latest spelling is kept.
    @Test func namesCompareByTheirKey() {
        var roster = Roster()
        roster.enter("lobby", me: "pat")
        roster.joined("Re\u{301}my", room: "lobby")
        #expect(roster.contains("rémy"))
        roster.joined("RÉMY", room: "lobby")
        #expect(roster.nicks == ["pat", "RÉMY"])
        roster.renamed("rémy", to: "Remy")
        #expect(roster.nicks == ["pat", "Remy"])
    }

    @Test func renamesOfStrangersAreIgnored() {
        var roster = Roster()
        roster.enter("lobby", me: "pat")
        roster.renamed("zed", to: "zoe")
        #expect(roster.nicks == ["pat"])
        roster.renamed("PAT", to: "lee")
        #expect(roster.nicks == ["lee"])
    }

    /// The protocol's list order: lowercased name, then Unicode scalars; CJK after Latin.
    @Test func listedInTheProtocolsOrder() {
        var roster = Roster()
        roster.enter("lobby", me: "pat")
        let replaced = roster.replace(room: "lobby", nicks: ["東京", "bob", "Carl", "alice", "Zed"])
        #expect(replaced)
        #expect(roster.nicks == ["alice", "bob", "Carl", "Zed", "東京"])
    }
}
