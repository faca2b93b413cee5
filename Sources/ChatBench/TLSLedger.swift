/// TLS bookkeeping across all clients.
struct TLSLedger {
    /// Handshakes that failed, certificates refused, sessions that broke.
    var failures = 0
    /// The first failure's reason, for the report.
    var firstFailure: String?
    /// The protocol and cipher suite of the first session (`TLSv1.3 TLS_AES_256_GCM_SHA384`).
    var session: String?

    /// Counts a failure and keeps its reason if it is the first.
    mutating func note(_ reason: String) {
        failures += 1
        if firstFailure == nil { firstFailure = reason }
    }
}
