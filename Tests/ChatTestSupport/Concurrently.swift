import Foundation

/// Runs `body(index)` on `count` threads at once and waits for all; used where clients must read while
/// others write, as real users do.
public func concurrently(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            body(index)
            group.leave()
        }
        thread.start()
    }
    group.wait()
}

/// Hands a non-Sendable value to exactly one other thread.
public final class Handoff<Value>: @unchecked Sendable {  // Each value is used by one thread at a time.
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
