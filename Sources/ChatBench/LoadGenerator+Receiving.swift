import ChatSocket
import SystemPackage

/// Join bookkeeping across all clients.
struct JoinLedger {
    /// Joins seen by clients after their own, their own included.
    var total = 0
    /// Clients that have seen their own join.
    var joined = 0
    /// Joins that arrived before the receiver's own, which the protocol rules out.
    var early = 0
}

extension LoadGenerator {
    /// One `recv` into the shared buffer, behind the carried head of a split frame, then every whole frame.
    mutating func readClient(_ index: Int) {
        guard index >= 0, let fd = clients[index].fd else { return }
        let carried = clients[index].carry.count
        if carried > 0 {
            clients[index].carry.withUnsafeBytes { buffer.copyMemory(from: $0) }
        }
        let result: SocketDescriptor.ReadResult
        do {
            result = try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[carried...]))
        } catch {
            return fail(index)
        }
        switch result {
        case .wouldBlock:
            return
        case .endOfStream:
            return fail(index)
        case .bytes(let count):
            let total = carried + count
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<total])
            let used = Self.consume(
                bytes, receiver: index, client: &clients[index], tracker: &tracker, joins: &joins,
                resume: &resume, other: &otherPackets, now: MonotonicClock.now())
            clients[index].carry.removeAll(keepingCapacity: true)
            if used < total { clients[index].carry.append(contentsOf: bytes[used...]) }
        }
    }

    /// Handles every whole frame in `bytes`; returns how many bytes they took.
    private static func consume(
        _ bytes: UnsafeRawBufferPointer, receiver: Int, client: inout BenchClient, tracker: inout DeliveryTracker,
        joins: inout JoinLedger, resume: inout ResumeLedger, other: inout UInt64, now: UInt64
    ) -> Int {
        let all = bytes.assumingMemoryBound(to: UInt8.self)
        var offset = 0
        while all.count - offset >= 2 {
            let length = Int(all[offset]) << 8 | Int(all[offset + 1])
            guard all.count - offset - 2 >= length else { break }
            let payload = UnsafeBufferPointer(rebasing: all[offset + 2..<offset + 2 + length])
            offset += 2 + length
            switch MessageScanner.scan(payload) {
            case .bench(let sender, let sequence, let sentAt):
                tracker.record(receiver: receiver, sender: sender, sequence: sequence, sentAt: sentAt, now: now)
            case .join(let nick):
                countJoin(client: &client, joins: &joins) { $0.elementsEqual(payload[nick]) }
            case .joinNamed(let nick):
                countJoin(client: &client, joins: &joins) { $0.elementsEqual(nick.utf8) }
            case .stampedBench(let sender, let sequence, let sentAt, let id, let replay):
                guard isNew(id: id, replay: replay, client: &client, resume: &resume) else { continue }
                tracker.record(
                    receiver: receiver, sender: sender, sequence: sequence, sentAt: sentAt, now: now, replayed: replay)
            case .welcome(let resumed, let token):
                welcomed(resumed: resumed, token: token, client: &client, resume: &resume)
            case .historyEnd(let truncated):
                replayEnded(
                    truncated: truncated, receiver: receiver, client: &client, tracker: &tracker, resume: &resume)
            case .leave:
                resume.leaves += 1
                other &+= 1
            case .other:
                other &+= 1
            }
        }
        return offset
    }

    /// Whether a stamped message is one to check: its id is above the highest seen (else it is a duplicate,
    /// dropped as our client drops it), and it is not the backfill of a first hello (history from before the
    /// run).
    private static func isNew(id: Int, replay: Bool, client: inout BenchClient, resume: inout ResumeLedger) -> Bool {
        guard id > client.lastID else {
            resume.duplicatesDropped &+= 1
            return false
        }
        client.lastID = id
        guard !replay || client.isResuming else { return false }
        if replay { resume.replayed &+= 1 }
        return true
    }

    private static func welcomed(
        resumed: Bool, token: String?, client: inout BenchClient, resume: inout ResumeLedger
    ) {
        client.resumeToken = token
        guard client.isResuming else { return }
        if resumed { resume.resumed += 1 } else { resume.refused += 1 }
    }

    /// The end of a replay. After a resume it completes the session: a sender takes back what the server never
    /// relayed, and may send again.
    private static func replayEnded(
        truncated: Bool, receiver: Int, client: inout BenchClient, tracker: inout DeliveryTracker,
        resume: inout ResumeLedger
    ) {
        if truncated { resume.truncated += 1 }
        guard client.isResuming else { return }
        client.isResuming = false
        resume.pending -= 1
        if receiver < tracker.senders { resume.takenBack &+= tracker.takeBackUnrelayed(of: receiver) }
    }

    /// Counts a join; only a client's first one is compared with its nick, and it must be its own.
    private static func countJoin(
        client: inout BenchClient, joins: inout JoinLedger, isOwn: ([UInt8]) -> Bool
    ) {
        if client.joinsSeen > 0 {
            client.joinsSeen += 1
            joins.total += 1
        } else if isOwn(client.nick) {
            client.joinsSeen = 1
            joins.total += 1
            joins.joined += 1
        } else {
            joins.early += 1
        }
    }
}
