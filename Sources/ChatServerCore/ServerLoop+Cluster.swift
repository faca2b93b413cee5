import ChatSocket

extension ServerLoop {
    // MARK: - Cluster mode

    /// Serves the cluster link's connections and timers, then hands what it learned (applied entries,
    /// refusals, the store's comings and goings) to the hub, in order.
    func serviceCluster(read: SelectSet, write: SelectSet) {
        guard let cluster else { return }
        cluster.handle(read: read, write: write)
        cluster.serviceTimers(now: now)
        var events = cluster.takeEvents()
        while !events.isEmpty {
            for event in events { handle(event) }
            // Handling can submit, and a submission can be refused at once.
            events = cluster.takeEvents()
        }
        // What the hub let go of makes room for frames that waited.
        for id in heldBack where !hub.isHoldingAllItMay(id) {
            heldBack.remove(id)
            handleFrames(id)
        }
    }

    /// Hands an entry to the cluster link, which appends it to the log in submission order.
    func submit(_ entry: ClusterEntry) {
        cluster?.submit(entry)
    }
}
