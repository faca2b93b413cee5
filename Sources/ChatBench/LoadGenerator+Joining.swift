import ChatProtocol
import ChatSocket

/// How the connect-and-join phase went.
struct JoinOutcome {
    var seconds = 0.0
    /// Clients that did not connect, did not see their own join, or saw the wrong number of joins.
    var errors = 0
    var timedOut = false
}

extension LoadGenerator {
    /// Connects every client (at most `connectsInFlight` unjoined at once, so the server's listen backlog
    /// never overflows into SYN retries), sends each hello, and waits until every client has seen every join
    /// from its own onward, or the phase's timeout.
    mutating func connectAndJoin() -> JoinOutcome {
        let start = MonotonicClock.now()
        let deadline = MonotonicClock.adding(configuration.joinTimeout, to: start)
        var next = 0
        while true {
            while next < clients.count && next - joins.joined - unjoinedFailures < configuration.connectsInFlight {
                startConnect(next)
                next += 1
            }
            if next == clients.count && isFullyJoined { break }
            if MonotonicClock.now() >= deadline { break }
            pass(until: deadline)
        }
        var outcome = JoinOutcome(seconds: MonotonicClock.seconds(from: start, to: MonotonicClock.now()))
        outcome.timedOut = !(next == clients.count && isFullyJoined)
        outcome.errors = joinErrors()
        return outcome
    }

    /// Every connected client has seen its own join, and the joins seen add up to 1 + 2 + … + joined.
    private var isFullyJoined: Bool {
        joins.joined + unjoinedFailures == clients.count && joins.total >= joins.joined * (joins.joined + 1) / 2
    }

    /// Clients that failed, never saw their own join, or whose join counts are not exactly 1, 2, …, joined
    /// (the k-th client to join sees the joins of the k − 1 after it as well as its own).
    private func joinErrors() -> Int {
        var seen = Array(repeating: false, count: joins.joined + 1)
        var errors = joins.early
        for client in clients {
            let count = client.joinsSeen
            guard count > 0, count <= joins.joined, !seen[count] else {
                errors += 1
                continue
            }
            seen[count] = true
        }
        return errors
    }

    /// Starts client `index`'s connect (its first, or a reconnect after a cut).
    mutating func startConnect(_ index: Int) {
        let fd: SocketDescriptor
        let inProgress: Bool
        do {
            (fd, inProgress) = try addresses[index % addresses.count].connect()
        } catch {
            clients[index].state = .failed
            if clients[index].hasJoined { disconnects += 1 } else { unjoinedFailures += 1 }
            if clients[index].isResuming {
                clients[index].isResuming = false
                resume.pending -= 1
            }
            return
        }
        attach(fd, to: index)
        if inProgress {
            clients[index].state = .connecting
            writeInterest.insert(fd)
        } else {
            connected(index)
        }
    }

    /// A non-blocking connect finished: check its outcome, then say hello.
    mutating func finishConnect(_ index: Int) {
        guard let fd = clients[index].fd else { return }
        writeInterest.remove(fd)
        if LoopbackAddress.pendingError(of: fd) != nil {
            fail(index)
        } else {
            connected(index)
        }
    }

    /// The TCP connection stands: say hello, over TLS once its handshake is done.
    private mutating func connected(_ index: Int) {
        if tlsContext != nil {
            beginHandshake(index)
        } else {
            greet(index)
        }
    }

    /// Sends the client's hello and starts counting joins.
    mutating func greet(_ index: Int) {
        guard let fd = clients[index].fd else { return }
        clients[index].state = .connected
        readInterest.insert(fd)
        let nick = String(decoding: clients[index].nick, as: UTF8.self)
        let client = clients[index]
        // Resume mode: `welcome` carries the token, `history` the ids; a reconnect asks for what it missed.
        let features: Features = configuration.resumes ? [.welcome, .history, .resume] : []
        let options = ClientPacket.HelloOptions(
            after: client.isResuming ? client.lastID : nil, resume: client.isResuming ? client.resumeToken : nil)
        guard let hello = try? PacketEncoder.frame(.hello(nick: nick, features: features, options: options)) else {
            return fail(index)
        }
        clients[index].outbound.append(contentsOf: hello)
        flush(index)
    }
}
