/// The figures of one run, printed as one JSON line and a short human summary.
struct BenchReport {
    var configuration: BenchConfiguration
    var sent: UInt64 = 0
    var delivered: UInt64 = 0
    var expected: UInt64 = 0
    var lost: UInt64 = 0
    var duplicated: UInt64 = 0
    var outOfOrder: UInt64 = 0
    var foreign: UInt64 = 0
    var otherPackets: UInt64 = 0
    var disconnects = 0
    var loadSeconds = 0.0
    /// Latency percentiles in nanoseconds: p50, p99, p99.9, max.
    var latency: (p50: UInt64, p99: UInt64, p999: UInt64, max: UInt64) = (0, 0, 0, 0)
    var join = JoinOutcome()
    var drainTimedOut = false
    var serverPID: Int32?
    var serverCPUSeconds: Double?
    var benchCPUSeconds = 0.0
    var serverRSSBefore: Int?
    var serverRSSJoined: Int?
    var serverRSSAfter: Int?
    var idleServerCPUSeconds: Double?
    var idleBenchCPUSeconds: Double?
    /// Resume mode: cuts, resumes and replays.
    var resume = ResumeLedger()
    /// Joins seen during the load; a resume must show none.
    var lateJoins = 0
    /// TLS: failures and the negotiated session.
    var tls = TLSLedger()

    init(configuration: BenchConfiguration) {
        self.configuration = configuration
    }

    /// Nothing lost, duplicated or reordered, nobody dropped, no phase ran out of time, and in resume mode every
    /// cut resumed with a whole replay and without a `leave` or `join` shown to anyone.
    var passed: Bool {
        lost == 0 && duplicated == 0 && outOfOrder == 0 && foreign == 0 && disconnects == 0 && join.errors == 0
            && !join.timedOut && !drainTimedOut && resumesPassed && tls.failures == 0
    }

    private var resumesPassed: Bool {
        configuration.cuts == 0
            || (resume.resumed == resume.cuts && resume.refused == 0 && resume.pending == 0 && resume.truncated == 0
                && resume.leaves == 0 && lateJoins == 0)
    }

    var deliveriesPerSecond: Double { loadSeconds > 0 ? Double(delivered - duplicated) / loadSeconds : 0 }
    var messagesPerSecond: Double { loadSeconds > 0 ? Double(sent) / loadSeconds : 0 }

    /// The whole report as one JSON object on one line.
    var jsonLine: String {
        let c = configuration
        let fields: [(String, String)] = [
            ("clients", "\(c.clients)"), ("senders", "\(c.senders)"), ("mode", "\"\(c.mode.rawValue)\""),
            ("servers", "\(c.ports.count)"), ("tls", "\(c.tls)"), ("tls_verified", "\(c.tls && c.caFile != nil)"),
            ("tls_session", string(tls.session)),
            ("tls_failures", "\(tls.failures)"), ("tls_first_failure", string(tls.firstFailure)),
            ("duration", number(c.duration)), ("window", c.mode == .max ? "\(c.window)" : "null"),
            ("rate", c.mode == .rate ? number(c.rate) : "null"), ("sent", "\(sent)"), ("delivered", "\(delivered)"),
            ("expected", "\(expected)"), ("lost", "\(lost)"), ("duplicated", "\(duplicated)"),
            ("out_of_order", "\(outOfOrder)"), ("foreign", "\(foreign)"), ("other_packets", "\(otherPackets)"),
            ("disconnects", "\(disconnects)"), ("load_seconds", number(loadSeconds)),
            ("deliveries_per_sec", number(deliveriesPerSecond, places: 0)),
            ("messages_per_sec", number(messagesPerSecond, places: 0)),
            ("latency_us", latencyObject), ("connect_join_seconds", number(join.seconds)),
            ("join_errors", "\(join.errors)"), ("join_timed_out", "\(join.timedOut)"),
            ("drain_timed_out", "\(drainTimedOut)"), ("server_pid", optional(serverPID.map { Int($0) })),
            ("server_cpu_seconds", optional(serverCPUSeconds)), ("bench_cpu_seconds", number(benchCPUSeconds)),
            ("server_rss_kib_before", optional(serverRSSBefore)), ("server_rss_kib_joined", optional(serverRSSJoined)),
            ("server_rss_kib_after", optional(serverRSSAfter)), ("idle_seconds", number(c.idle)),
            ("idle_server_cpu_seconds", optional(idleServerCPUSeconds)),
            ("idle_bench_cpu_seconds", optional(idleBenchCPUSeconds)),
        ]
        let all = fields + resumeFields + [("ok", "\(passed)")]
        return "{" + all.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// Resume mode's figures (all 0 without `--cuts`).
    private var resumeFields: [(String, String)] {
        let r = resume
        return [
            ("cuts", "\(r.cuts)"), ("cuts_skipped", "\(r.skipped)"), ("resumes_ok", "\(r.resumed)"),
            ("resumes_refused", "\(r.refused)"), ("resumes_pending", "\(r.pending)"), ("replayed", "\(r.replayed)"),
            ("duplicates_dropped", "\(r.duplicatesDropped)"), ("truncated_replays", "\(r.truncated)"),
            ("taken_back", "\(r.takenBack)"), ("leaves", "\(r.leaves)"), ("late_joins", "\(lateJoins)"),
        ]
    }

    private var latencyObject: String {
        func micro(_ nanoseconds: UInt64) -> String { number(Double(nanoseconds) / 1000, places: 1) }
        return "{\"p50\":\(micro(latency.p50)),\"p99\":\(micro(latency.p99)),"
            + "\"p999\":\(micro(latency.p999)),\"max\":\(micro(latency.max))}"
    }

    /// A few lines for a person.
    var summary: String {
        let c = configuration
        let rss = serverRSSBefore.map { "\($0)" } ?? "?"
        return """
            chat-bench: \(c.clients) clients, \(c.senders) senders, \(c.mode.rawValue) mode, \(number(c.duration)) s\
            \(c.tls ? ", TLS" : "")\(c.ports.count > 1 ? ", spread over \(c.ports.count) servers" : "")
              connect+join \(number(join.seconds)) s, join errors \(join.errors)\(join.timedOut ? " (TIMED OUT)" : "")
              sent \(sent) messages, delivered \(delivered) of \(expected); lost \(lost), duplicated \(duplicated), \
            out of order \(outOfOrder), disconnects \(disconnects)
              \(number(deliveriesPerSecond, places: 0)) deliveries/s, \(number(messagesPerSecond, places: 0)) messages/s
              latency µs: p50 \(Self.micro(latency.p50)), p99 \(Self.micro(latency.p99)), \
            p99.9 \(Self.micro(latency.p999)), max \(Self.micro(latency.max))
              server CPU \(optional(serverCPUSeconds)) s, bench CPU \(number(benchCPUSeconds)) s; \
            server RSS KiB before \(rss), joined \(optional(serverRSSJoined)), after \(optional(serverRSSAfter))
            \(idleLine)\(resumeLine)\(tlsLine)  \(passed ? "PASS" : "FAIL")
            """
    }

    private var resumeLine: String {
        guard configuration.cuts > 0 else { return "" }
        let r = resume
        return "  cuts \(r.cuts) (skipped \(r.skipped)), resumed \(r.resumed), refused \(r.refused), "
            + "pending \(r.pending); replayed \(r.replayed), duplicates dropped \(r.duplicatesDropped), "
            + "truncated replays \(r.truncated), taken back \(r.takenBack); leaves \(r.leaves), "
            + "late joins \(lateJoins)\n"
    }

    private var tlsLine: String {
        guard configuration.tls else { return "" }
        let check = configuration.caFile == nil ? "certificate not verified" : "certificate verified"
        let failures = tls.firstFailure.map { ", first: \($0)" } ?? ""
        return "  TLS \(tls.session ?? "-"), \(check); failures \(tls.failures)\(failures)\n"
    }

    private var idleLine: String {
        guard configuration.idle > 0 else { return "" }
        return "  idle \(number(configuration.idle)) s: server CPU \(optional(idleServerCPUSeconds)) s, "
            + "bench CPU \(optional(idleBenchCPUSeconds)) s\n"
    }

    private static func micro(_ nanoseconds: UInt64) -> String {
        String(Double((nanoseconds + 50) / 100) / 10)
    }
}

/// A JSON number with at most `places` decimals (no exponent for the magnitudes a bench produces).
private func number(_ value: Double, places: Int = 3) -> String {
    guard value.isFinite else { return "null" }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    if places == 0 || rounded == rounded.rounded() { return String(Int64(rounded)) }
    return String(rounded)
}

private func optional(_ value: Double?) -> String { value.map { number($0) } ?? "null" }
private func optional(_ value: Int?) -> String { value.map { "\($0)" } ?? "null" }

/// A JSON string, or null; quotes, backslashes and control characters escaped.
private func string(_ value: String?) -> String {
    guard let value else { return "null" }
    var escaped = "\""
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\"", "\\": escaped += "\\\(scalar)"
        case _ where scalar.value < 0x20:
            escaped += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
        default: escaped.unicodeScalars.append(scalar)
        }
    }
    return escaped + "\""
}
