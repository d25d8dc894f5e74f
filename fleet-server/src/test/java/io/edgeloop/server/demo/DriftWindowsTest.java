package io.edgeloop.server.demo;

import com.sun.net.httpserver.HttpServer;
import io.edgeloop.server.fleet.FleetClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads drift windows as the server's telemetry route answers them (newest first), from a local HTTP server. */
class DriftWindowsTest {
    private HttpServer server;
    private final AtomicReference<String> query = new AtomicReference<>();

    private static String window(String version, String start, boolean drifted, double ks, double psi, Double live) {
        return "{\"deviceId\":\"cam-4\",\"stream\":\"drift\",\"seq\":1,\"ts\":\"" + start + "\",\"model\":{\"name\":\"m\","
                + "\"version\":\"" + version + "\"},\"message\":{\"model\":{\"name\":\"m\",\"version\":\"" + version + "\"},"
                + "\"windowStart\":\"" + start + "\",\"drifted\":" + drifted + ",\"estimatedAccuracy\":0.4,"
                + "\"features\":[{\"name\":\"mean\",\"source\":\"input\",\"ksStatistic\":" + ks + ",\"drifted\":" + drifted + "},"
                + "{\"name\":\"margin\",\"source\":\"output\",\"ksStatistic\":0.99,\"drifted\":true}],"
                + "\"output\":{\"psi\":" + psi + ",\"drifted\":" + drifted + "}"
                + (live == null ? "" : ",\"liveAccuracy\":{\"accuracy\":" + live + ",\"labelledCount\":40}") + "}}";
    }

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String body = "{\"items\":[" + window("2.0.0", "2026-12-01T22:00:30Z", false, 0.05, 0.05, 0.8) + ","
                + window("1.0.0", "2026-12-01T22:00:20Z", true, 0.9, 1.1, 0.45) + ","
                + window("1.0.0", "2026-12-01T22:00:10Z", true, 0.8, 0.9, null) + ","
                + window("1.0.0", "2026-12-01T21:59:55Z", false, 0.05, 0.04, null) + "],\"count\":4}";
        server.createContext("/api/v1/devices/cam-4/telemetry", exchange -> {
            query.set(exchange.getRequestURI().getQuery());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void keepsTheVersionsWindowsThatBeganAfterTheMomentOldestFirst() throws Exception {
        FleetClient rest = new FleetClient("http://127.0.0.1:" + server.getAddress().getPort(), "t");
        long since = java.time.Instant.parse("2026-12-01T22:00:00Z").toEpochMilli();
        List<DriftWindows.Window> v1 = DriftWindows.read(rest, "cam-4", "1.0.0", since);
        assertTrue(query.get().contains("stream=drift"), query.get());
        assertEquals(2, v1.size(), "the window from before the moment and v2's are left out");
        assertTrue(v1.get(0).startMillis() < v1.get(1).startMillis(), "oldest first");
        assertEquals("mean", v1.get(1).topFeature(), "the output margin is not an input feature");
        assertEquals(0.9, v1.get(1).topFeatureKs(), 1e-9);

        DriftWindows.Stats s = DriftWindows.Stats.of(v1);
        assertEquals("2/2", s.driftedShare());
        assertEquals(1.0, s.meanOutputPsi(), 1e-9);
        assertEquals(0.45, s.meanLiveAccuracy(), 1e-9, "windows without labels do not count toward live accuracy");

        List<DriftWindows.Window> v2 = DriftWindows.read(rest, "cam-4", "2.0.0", since);
        assertEquals(1, v2.size());
        assertFalse(v2.get(0).drifted());
    }
}
