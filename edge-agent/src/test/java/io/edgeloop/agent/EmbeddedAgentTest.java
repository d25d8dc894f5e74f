package io.edgeloop.agent;

import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.agent.link.CredentialStore;
import io.edgeloop.agent.link.FleetCredentials;
import io.edgeloop.agent.link.FleetEnrolment;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An agent embedded in a caller's JVM: validation before anything opens, clean failed starts, a shared Vert.x. */
class EmbeddedAgentTest {
    @TempDir
    static Path dir;
    static KeyPairFiles.Paths keys;
    static Path pkg;
    static Vertx vertx;

    @BeforeAll
    static void fixtures() throws Exception {
        keys = KeyPairFiles.generate(Files.createDirectories(dir.resolve("keys")), "publisher");
        pkg = TestPackages.mlpPackage(dir.resolve("pkg"), "fashion", "1.0.0", KeyPairFiles.loadPair(keys.privateKey()));
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    @AfterAll
    static void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static AgentOptions options(String name) {
        return AgentOptions.DEFAULT.withDataDir(dir.resolve(name)).withPublicKey(keys.publicKey())
                .withProfile("generic-x86_64").withHttp(http -> http.withHost("127.0.0.1").withPort(0));
    }

    @Test
    void aBadSettingIsRefusedByNameBeforeAnythingOpens() {
        AgentOptions bad = options("bad").withBatch(batch -> batch.withMaxBatch(0));
        EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> Agent.builder(bad).vertx(vertx).start());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().startsWith("batch.maxBatch"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("bad")), "nothing was created");
    }

    @Test
    void aFailedStartClosesWhatItOpenedAndLeavesTheSharedVertxUp() throws Exception {
        AgentOptions noKey = options("failed").withPublicKey(null);
        // The package cannot be verified without the publisher's key: the start fails after the
        // database, the engines and the HTTP listeners are open.
        assertThrows(EdgeLoopException.class, () -> Agent.builder(noKey).vertx(vertx).install(pkg).start());
        assertEquals(List.of(), OpenResources.filesUnder(dir.resolve("failed")));
        assertEquals(List.of(), OpenResources.agentThreads());
        assertTrue(vertx.deploymentIDs().isEmpty(), "listeners left: " + vertx.deploymentIDs());
        try (Agent agent = Agent.builder(options("failed")).vertx(vertx).install(pkg).start()) {
            assertEquals("1.0.0", agent.registry().activeVersions().get("fashion"));
            assertEquals(200, get(agent.port(), "/v2/health/ready"));
        }
        assertTrue(vertx.deploymentIDs().isEmpty());
    }

    @Test
    void agentsOnOneVertxNeverShareAPort() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (Agent first = Agent.builder(options("first").withHttp(http -> http.withPort(port))).vertx(vertx).start()) {
            assertEquals(port, first.port());
            int deployed = vertx.deploymentIDs().size();
            // Vert.x would share the port between the two and hand the second agent's requests to the first.
            EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> Agent.builder(options("second")
                    .withHttp(http -> http.withPort(port))).vertx(vertx).start());
            assertEquals(ErrorCode.PORT_IN_USE, e.code(), e.describe());
            assertTrue(e.getMessage().contains("port " + port + ": it is in use by another agent"), e.getMessage());
            assertEquals(deployed, vertx.deploymentIDs().size());
            assertEquals(200, get(port, "/v2/health/live"));
            try (Agent third = Agent.builder(options("third")).vertx(vertx).start()) {
                assertTrue(third.port() > 0 && third.port() != port);
            }
        }
    }

    @Test
    void withoutHttpTheDeviceIdDefaultsToTheHostName() throws Exception {
        try (Agent agent = Agent.builder(options("quiet").withHttp(http -> http.withEnabled(false))).install(pkg).start()) {
            assertFalse(agent.hasHttp());
            assertThrows(IllegalStateException.class, agent::port);
            assertEquals(AgentBuilder.hostDeviceId(), agent.deviceId());
            assertFalse(agent.deviceId().isBlank());
            assertTrue(agent.ready());
        }
    }

    @Test
    void anEnrolledDataDirectoryRunsAsItsKeptDeviceId() throws Exception {
        AgentOptions quiet = options("enrolled").withDeviceId("configured-id").withHttp(http -> http.withEnabled(false));
        try (Agent agent = Agent.builder(quiet).keptDeviceId(FleetEnrolment::enrolledDeviceId).start()) {
            assertEquals("configured-id", agent.deviceId(), "nothing is kept yet");
            new CredentialStore(agent.state()).save(new FleetCredentials("enrolled-7", "tcp://broker:1883", "u", "p"));
        }
        try (Agent agent = Agent.builder(quiet).keptDeviceId(FleetEnrolment::enrolledDeviceId).start()) {
            assertEquals("enrolled-7", agent.deviceId());
            assertEquals("enrolled-7", agent.options().deviceId());
        }
        try (Agent agent = Agent.builder(quiet).start()) {
            assertEquals("configured-id", agent.deviceId(), "without a lookup the configured id stands");
        }
    }

    private static int get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
