import ChatTestSupport
import Foundation

@testable import ChatClientCore

/// A `ChatSession` run on a thread of its own, as the client's input thread would be, for tests that act while
/// it runs; `outcome(within:)` waits for its end with a deadline.
final class SessionThread: Sendable {
    private let outcome = Locked<ChatSession.Outcome?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ session: ChatSession, frontEnd: FrontEnd) {
        Thread { [outcome, done] in
            outcome.withLock { $0 = session.run(frontEnd: frontEnd) }
            done.signal()
        }.start()
    }

    /// How the run ended; nil if it has not within `seconds`.
    func outcome(within seconds: Int = 20) -> ChatSession.Outcome? {
        guard done.wait(timeout: .now() + .seconds(seconds)) == .success else { return nil }
        return outcome.withLock { $0 }
    }
}
