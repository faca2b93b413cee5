import ChatProtocol
import Testing

@testable import ChatClientCore

@Suite struct DisplayFormatterTests {
    let formatter = DisplayFormatter(me: "pat")

    static let table: [(ServerPacket, String)] = [
        (.chat(nick: "pat", message: "hows it going"), "pat: hows it going"),
        (.join(nick: "leslie", room: "lobby"), "*** leslie has joined the chat"),
        (.join(nick: "leslie", room: nil), "*** leslie has joined the chat"),
        (.leave(nick: "chris", room: "lobby"), "*** chris has left the chat"),
        (.leave(nick: "chris", room: nil), "*** chris has left the chat"),
        (.join(nick: "pat", room: "games"), "*** pat has joined games"),
        (.leave(nick: "pat", room: "games"), "*** pat has left games"),
        (.error(code: .noSuchNick, message: "no such user: chris"), "*** error: no such user: chris"),
        (.info(message: "welcome"), "*** welcome"),
        (.dm(nick: "pat", to: "chris", message: "how's it going?"), "pat -> chris: how's it going?"),
        (.emote(nick: "pat", message: "goes out to buy some snacky cakes"), "[pat goes out to buy some snacky cakes]"),
        (.who(room: "lobby", nicks: ["chris", "leslie", "pat"]), "*** in lobby: chris, leslie, pat"),
        (.rooms([.init(name: "games", count: 2), .init(name: "lobby", count: 5)]), "*** rooms: games (2), lobby (5)"),
        (.chat(nick: "*", message: "pat waves"), "*: pat waves"),
        (.nick(old: "pat", new: "patrick"), "*** pat is now known as patrick"),
        (.leave(nick: "leslie", room: "lobby", to: "games"), "*** leslie moved to games"),
        (.chat(nick: "pat", message: "hi", stamp: .init(id: 7, time: "2026-12-01T20:45:14.123Z")), "pat: hi"),
    ]

    @Test(arguments: table) func linesMatchTheProtocolTable(_ packet: ServerPacket, _ text: String) {
        #expect(formatter.line(for: packet).text == text)
    }

    @Test func theServersTimeIsCarriedToTheLine() {
        let time = "2026-12-01T20:45:14.123Z"
        let stamp = ServerPacket.Stamp(id: 7, time: time, replay: true)
        #expect(formatter.line(for: .chat(nick: "a", message: "b", stamp: stamp)).time == time)
        #expect(formatter.line(for: .dm(nick: "a", to: "pat", message: "b", stamp: stamp)).time == time)
        #expect(formatter.line(for: .emote(nick: "a", message: "b", stamp: stamp)).time == time)
        #expect(formatter.line(for: .chat(nick: "a", message: "b")).time == nil)
    }

    @Test func replayedMessagesAreMarkedSoTheyNeverAlert() {
        let replayed = ServerPacket.Stamp(id: 7, time: "2026-12-01T20:45:14.123Z", replay: true)
        let live = ServerPacket.Stamp(id: 8, time: "2026-12-01T20:45:15.000Z")
        #expect(formatter.line(for: .dm(nick: "leslie", to: "pat", message: "hi", stamp: replayed)).isReplay)
        #expect(formatter.line(for: .chat(nick: "leslie", message: "pat?", stamp: replayed)).isReplay)
        #expect(formatter.line(for: .emote(nick: "leslie", message: "pokes pat", stamp: replayed)).isReplay)
        #expect(!formatter.line(for: .dm(nick: "leslie", to: "pat", message: "hi", stamp: live)).isReplay)
        #expect(!formatter.line(for: .chat(nick: "leslie", message: "pat?")).isReplay)
        #expect(formatter.line(for: .dm(nick: "leslie", to: "pat", message: "hi")).kind == .directMessage)
    }

    @Test func everyFieldIsSanitized() {
        let hostile = ServerPacket.chat(nick: "x\u{1B}[2J", message: "\u{1B}]0;owned\u{7}\u{202E}txt\r\n")
        let text = formatter.line(for: hostile).text
        #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .format })
        let who = formatter.line(for: .who(room: "l\u{7}", nicks: ["a\u{1B}"])).text
        #expect(who == "*** in l\u{FFFD}: a\u{FFFD}")
    }

    @Test func ownLinesAndMentions() {
        #expect(formatter.line(for: .chat(nick: "Pat", message: "hi")).isOwn)
        #expect(formatter.line(for: .chat(nick: "leslie", message: "hey PAT, hi")).isMention)
        #expect(!formatter.line(for: .chat(nick: "leslie", message: "patience")).isMention)
        #expect(!formatter.line(for: .chat(nick: "pat", message: "pat")).isMention)
        #expect(formatter.line(for: .emote(nick: "leslie", message: "pokes pat")).isMention)
        #expect(formatter.line(for: .chat(nick: "leslie", message: "x")).nick == "leslie")
        #expect(formatter.line(for: .join(nick: "leslie", room: nil)).kind == .notice)
    }

    /// A name continues through every character `Names` allows in one, so `pat.` or `pat^` is another nick.
    @Test(arguments: Array(Names.punctuation)) func nickPunctuationContinuesAName(_ character: Character) {
        #expect(DisplayFormatter.isNickCharacter(character))
        #expect(!formatter.mentions("hi pat\(character)"))
        #expect(!formatter.mentions("\(character)pat hi"))
        #expect(DisplayFormatter(me: "p\(character)t").mentions("hey p\(character)t!"))
    }

    @Test func otherPunctuationEndsAName() {
        for character: Character in [" ", ",", "!", "?", ":", "'", "@", "/"] {
            #expect(!DisplayFormatter.isNickCharacter(character))
            #expect(formatter.mentions("hi pat\(character)"))
        }
    }
}
