import ChatSocket
import Testing

@testable import ChatServerCore

/// Every default has one source, the library; the command line reads it from there.
@Suite struct ServerConfigurationTests {
    @Test func everyDefaultHasOneSource() {
        let defaults = ServerConfiguration(port: 0)
        #expect(defaults.maxSendQueue == 1 << 20)
        #expect(defaults.maxSendQueue == ServerConfiguration.defaultMaxSendQueue)
        #expect(defaults.helloTimeout == .seconds(10))
        #expect(defaults.rate == 200)
        #expect(defaults.burst == 1_000)
        #expect(defaults.shutdownGrace == .seconds(2))
        #expect(defaults.maxClients == ResourceLimits.descriptorLimit() - ServerConfiguration.reservedDescriptors)
        #expect(ServerConfiguration.reservedDescriptors == 32)
    }
}
