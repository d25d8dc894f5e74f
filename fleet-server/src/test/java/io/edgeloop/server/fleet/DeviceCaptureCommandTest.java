package io.edgeloop.server.fleet;

import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.auth.AdminTokenFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code edgeloop fleet devices capture} in-process against a live server with its embedded broker. */
class DeviceCaptureCommandTest {
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
    void switchesCaptureOnADeviceAndAGroup() throws Exception {
        try (FleetServer server = FleetServer.start(FleetServerOptions.embedded(dir, 0, 0),
                FleetServer.Plugins.defaults().withMqtt())) {
            String url = "http://localhost:" + server.httpPort();
            String admin = Files.readString(dir.resolve(AdminTokenFile.FILE_NAME)).strip();
            assertEquals(0, fleet(url, admin, "devices", "enrol", "cam-1", "--group", "lobby").exit());
            assertEquals(0, fleet(url, admin, "devices", "enrol", "cam-2", "--group", "lobby").exit());

            Run on = fleet(url, admin, "devices", "capture", "cam-1", "--on", "--sample-rate", "0.5");
            assertEquals(0, on.exit(), on.err());
            assertEquals("cam-1: capture on (sample rate 0.5) (the device was offline)\n", on.out());
            Run group = fleet(url, admin, "devices", "capture", "--group", "lobby", "--off");
            assertEquals(0, group.exit(), group.err());
            assertTrue(group.out().endsWith("2 device(s)\n"), group.out());

            Run unknown = fleet(url, admin, "devices", "capture", "nope", "--on");
            assertTrue(unknown.exit() != 0);
            assertTrue(unknown.err().contains("DEVICE_NOT_FOUND"), unknown.err());
            assertEquals(2, fleet(url, admin, "devices", "capture", "cam-1", "--on", "--off").exit());
            assertEquals(2, fleet(url, admin, "devices", "capture", "cam-1").exit());
            Run badRate = fleet(url, admin, "devices", "capture", "cam-1", "--on", "--sample-rate", "2");
            assertEquals(2, badRate.exit());
            assertTrue(badRate.err().contains("--sample-rate"), badRate.err());
            assertEquals(2, fleet(url, admin, "devices", "capture", "--on").exit());
        }
    }
}
