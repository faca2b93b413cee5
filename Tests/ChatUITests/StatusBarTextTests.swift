import Testing

@testable import ChatUI

@Suite struct StatusBarTextTests {
    @Test func withoutAlertsOrScrollingTheBarIsAsBefore() {
        let text = StatusBarText.compose(
            status: "pat@localhost:9999 in lobby", alert: "", scrolledBack: false, unseen: 0, columns: 40)
        #expect(text == " pat@localhost:9999 in lobby" + String(repeating: " ", count: 12))
    }

    @Test func theAlertStandsAtTheRight() {
        let text = StatusBarText.compose(
            status: "pat@localhost:9999 in lobby", alert: "[mention: leslie]", scrolledBack: false, unseen: 0,
            columns: 60)
        #expect(text == " pat@localhost:9999 in lobby" + String(repeating: " ", count: 13) + " [mention: leslie] ")
        #expect(DisplayWidth.of(text) == 60)
    }

    @Test func theAlertComesBeforeMoreBelow() {
        let text = StatusBarText.compose(
            status: "pat@localhost:9999 in lobby", alert: "[DM: chris]", scrolledBack: true, unseen: 3, columns: 80)
        #expect(text.hasSuffix(" [DM: chris] -- more below (3 new) -- "))
        #expect(text.hasPrefix(" pat@localhost:9999 in lobby "))
        #expect(DisplayWidth.of(text) == 80)
    }

    @Test func aNarrowBarShortensTheStatusFirst() {
        let text = StatusBarText.compose(
            status: "pat@localhost:47101 in lobby", alert: "[mention: leslie]", scrolledBack: false, unseen: 0,
            columns: 40)
        #expect(text == " pat@localhost:47101…" + " [mention: leslie] ")
        let tiny = StatusBarText.compose(
            status: "pat@localhost:47101 in lobby", alert: "[mention: leslie]", scrolledBack: false, unseen: 0,
            columns: 10)
        #expect(DisplayWidth.of(tiny) <= 10)
    }
}
