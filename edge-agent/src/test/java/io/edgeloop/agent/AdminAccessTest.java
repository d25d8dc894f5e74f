package io.edgeloop.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.agent.store.OnnxFileInstaller;
import io.edgeloop.fixtures.TestModelFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An agent listening on every interface: KServe v2 answers callers on any of them, the
 * administrative endpoints only loopback callers or holders of the local admin token.
 */
class AdminAccessTest {
    private static final String TOKEN = "local-admin-token-0123456789";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Agent agent;
    static Optional<String> external;

    @BeforeAll
    static void start() throws Exception {
        AgentOptions options = AgentOptions.DEFAULT.withDataDir(dir.resolve("data")).withProfile("generic-x86_64")
                .withHttp(http -> http.withHost("0.0.0.0").withPort(0).withAdminToken(TOKEN));
        agent = Agent.builder(options).install(TestModelFiles.softmaxMlp(dir))
                .installers(List.of((store, o, device) -> new OnnxFileInstaller(store, "fashion", "1"))).start();
        external = nonLoopbackAddress();
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @Test
    void anotherInterfaceReachesInferenceButNotTheAdministrativeEndpoints() throws Exception {
        assumeTrue(external.isPresent(), "this host has no non-loopback IPv4 address to call from");
        String base = "http://" + external.get() + ":" + agent.port();
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/v2/models/fashion")).GET()).statusCode());
        for (HttpRequest.Builder admin : List.of(
                HttpRequest.newBuilder(URI.create(base + "/v2/agent/models/fashion/rollback")).POST(HttpRequest.BodyPublishers.noBody()),
                HttpRequest.newBuilder(URI.create(base + "/v2/agent/models/fashion/versions/1/activate")).POST(HttpRequest.BodyPublishers.noBody()),
                HttpRequest.newBuilder(URI.create(base + "/v2/agent/packages")).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[16])),
                HttpRequest.newBuilder(URI.create(base + "/v2/agent/models/fashion/shadow")).DELETE(),
                HttpRequest.newBuilder(URI.create(base + "/v2/agent/models/fashion/rollback")).header("Authorization", "Bearer wrong-token-0123456789")
                        .POST(HttpRequest.BodyPublishers.noBody()))) {
            HttpResponse<String> r = send(admin);
            assertEquals(403, r.statusCode(), r.body());
            assertEquals("ADMIN_LOCAL_ONLY", JSON.readTree(r.body()).path("code").asText(), r.body());
        }
        HttpResponse<String> withToken = send(HttpRequest.newBuilder(URI.create(base + "/v2/agent/models/fashion/versions/1/activate"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, withToken.statusCode(), withToken.body());
    }

    @Test
    void loopbackCallersReachTheAdministrativeEndpointsWithoutAToken() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port()
                + "/v2/agent/models/fashion/versions/1/activate")).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, r.statusCode(), r.body());
        HttpResponse<String> rollback = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port()
                + "/v2/agent/models/fashion/rollback")).POST(HttpRequest.BodyPublishers.noBody()));
        assertNotEquals(403, rollback.statusCode(), rollback.body());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(java.time.Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An IPv4 address of this host on an interface that is up and not loopback. */
    private static Optional<String> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : nic.inetAddresses().toList()) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return Optional.of(a.getHostAddress());
                }
            }
        }
        return Optional.empty();
    }
}
