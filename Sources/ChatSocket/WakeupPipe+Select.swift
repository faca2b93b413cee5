import ChatSystem

/// The server's name for `ChatSystem.WakeupPipe`, so code that imports only `ChatSocket` keeps compiling.
public typealias WakeupPipe = ChatSystem.WakeupPipe

extension WakeupPipe {
    /// The end to watch for readability, as a descriptor a `SelectSet` takes.
    public var readEnd: SocketDescriptor { SocketDescriptor(rawValue: readFD) }
}
