import Foundation
import Testing

@_exported import class ChatSystem.Locked

/// Runs `body(index)` on `count` threads at once and waits for all, at most `timeout` (then records an issue);
/// used where clients must read while others write, as real users do.
public func concurrently(
    _ count: Int, within timeout: Duration = .seconds(240), sourceLocation: SourceLocation = #_sourceLocation,
    _ body: @escaping @Sendable (Int) -> Void
) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            body(index)
            group.leave()
        }
        thread.start()
    }
    if group.wait(timeout: .now() + .milliseconds(Int(timeout / .milliseconds(1)))) == .timedOut {
        Issue.record("\(count) threads did not finish within \(timeout)", sourceLocation: sourceLocation)
    }
}

/// Hands a non-Sendable value to exactly one other thread.
public final class Handoff<Value>: @unchecked Sendable {  // Each value is used by one thread at a time.
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
