import ChatSocket

extension RedisConnection {
    /// Adds the descriptor to the sets for the next `select()`, as hiredis's hooks asked.
    public func register(read: inout SelectSet, write: inout SelectSet) {
        guard let descriptor else { return }
        if wantsRead { read.insert(descriptor) }
        if wantsWrite { write.insert(descriptor) }
    }

    /// Serves what `select()` reported for the descriptor: read first, then write. A read that ends the
    /// connection leaves no descriptor, so the write half is skipped (the number may already be reused).
    public func handle(read: SelectSet, write: SelectSet) {
        guard let descriptor else { return }
        if read.contains(descriptor) { readable() }
        if self.descriptor == descriptor, write.contains(descriptor) { writable() }
    }
}
