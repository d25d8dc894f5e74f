package io.edgeloop.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgeloop.server.captures.CaptureRetention;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code edgeloop server}'s capture retention options: parsed, defaulted, and a bad one refused before anything starts. */
class ServerCaptureOptionsTest {
    @Test
    void optionsParseWithTheirDefaults() {
        ServerCommand defaults = new ServerCommand();
        new CommandLine(defaults).parseArgs();
        assertEquals(CaptureRetention.defaults(), new CaptureRetention(defaults.captureMaxAge,
                defaults.captureDeviceQuotaBytes, defaults.captureTotalQuotaBytes));

        ServerCommand set = new ServerCommand();
        new CommandLine(set).parseArgs("--capture-max-age", "P7D", "--capture-device-quota-bytes", "1048576",
                "--capture-total-quota-bytes", "0");
        assertEquals(Duration.ofDays(7), set.captureMaxAge);
        assertEquals(1_048_576, set.captureDeviceQuotaBytes);
        assertEquals(0, set.captureTotalQuotaBytes);
        assertEquals("P7D", new CaptureRetention(set.captureMaxAge, 1, 0).maxAgeText());
    }

    @Test
    void aBadRetentionStopsTheStartWithExitTwo() {
        assertEquals(2, new CommandLine(new ServerCommand()).execute("--capture-max-age", "PT0S"));
        assertEquals(2, new CommandLine(new ServerCommand()).execute("--capture-device-quota-bytes", "-1"));
        assertThrows(IllegalArgumentException.class, () -> new CaptureRetention(Duration.ofDays(-1), 0, 0));
    }
}
