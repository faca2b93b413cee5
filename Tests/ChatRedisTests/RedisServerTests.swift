import ChatTestSupport
import Testing

/// The test support's own server: started, answering, stopped by SIGTERM, restarted where it was.
@Suite(.timeLimit(.minutes(1)))
struct RedisServerTests {
    @Test func stopsOnSigtermAndRestartsOnTheSamePort() throws {
        let server = try RedisServer()
        let port = server.port
        #expect(RedisServer.answersPing(port: port))
        server.kill()
        #expect(!RedisServer.answersPing(port: port))
        try server.start()
        #expect(server.port == port && RedisServer.answersPing(port: port))
        // Spawned from a thread that blocks most signals, it must still hear SIGTERM (it was once killed after
        // the grace instead).
        #expect(!server.stop(grace: .seconds(10)))
        #expect(!RedisServer.answersPing(port: port))
    }
}
