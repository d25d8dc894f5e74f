package io.edgeloop.server.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.auth.AdminTokenFile;
import io.edgeloop.server.captures.CaptureRetention;
import io.edgeloop.server.captures.CaptureStore;
import io.edgeloop.server.captures.Captures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code edgeloop fleet captures list|stats|label} in-process against a live server. */
class CapturesCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private static Run fleet(String url, String token, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", url, "--token", token));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new FleetCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void listStatsAndLabel() throws Exception {
        try (FleetServer server = FleetServer.start(FleetServerOptions.embedded(dir, 0, 0), FleetServer.Plugins.defaults())) {
            String url = "http://localhost:" + server.httpPort();
            String admin = Files.readString(dir.resolve(AdminTokenFile.FILE_NAME)).strip();
            new CaptureStore(server.database(), Clock.systemUTC(), CaptureRetention.defaults())
                    .insert("cam-1", Captures.batch("cam-1", 1, Instant.now(), "r1", "r2"));

            Run label = fleet(url, admin, "captures", "label", "--device", "cam-1", "--model", "fashion", "r1=3", "r7=1");
            assertEquals(0, label.exit(), label.err());
            assertEquals("2 labels stored: 1 matched a capture, 1 wait for theirs\n", label.out());
            Path csv = Files.writeString(dir.resolve("labels.csv"), "deviceId,requestId,model,label\ncam-1,r2,fashion,4\n");
            assertEquals(0, fleet(url, admin, "captures", "label", "--file", csv.toString()).exit());

            Run list = fleet(url, admin, "captures", "list", "--model", "fashion");
            assertEquals(0, list.exit(), list.err());
            assertTrue(list.out().startsWith("ID"), list.out());
            assertTrue(list.out().lines().anyMatch(l -> l.contains("r1") && l.contains(" 3 ") && l.endsWith("annotator")),
                    list.out());
            JsonNode json = JSON.readTree(fleet(url, admin, "captures", "list", "--device", "cam-1", "--json").out());
            assertEquals(2, json.path("count").asInt());

            Run stats = fleet(url, admin, "captures", "stats");
            assertEquals(0, stats.exit(), stats.err());
            assertTrue(stats.out().contains("total: 2 captures, 2 labelled, 32 bytes; 1 labels waiting for their capture"),
                    stats.out());
            assertTrue(stats.out().contains("retention: max age P30D, 536870912 bytes a device"), stats.out());

            Run bad = fleet(url, admin, "captures", "label", "--device", "cam-1", "--model", "fashion", "r1=-2");
            assertEquals(1, bad.exit());
            assertTrue(bad.err().startsWith("INVALID_ARGUMENT: "), bad.err());
            assertEquals(2, fleet(url, admin, "captures", "label", "r1=2").exit(), "pairs without --device and --model");
            assertEquals(2, fleet(url, admin, "captures", "label", "--device", "cam-1", "--model", "fashion", "r1=x").exit());
        }
    }
}
