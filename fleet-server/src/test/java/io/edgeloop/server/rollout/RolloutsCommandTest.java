package io.edgeloop.server.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.server.fleet.FleetCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code edgeloop fleet rollouts …} in-process against a server with its engine and fake devices. */
class RolloutsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    @TempDir
    Path packages;
    private RolloutHarness h;

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeEach
    void start() throws Exception {
        h = new RolloutHarness(dir, packages);
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    private Run fleet(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", h.api.base(), "--token", h.admin));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new FleetCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void createGetWatchAndExitCodes() throws Exception {
        h.devices("lab", 5);
        Run created = fleet("rollouts", "create", "--package", "classifier:1.1.0", "--group", "lab", "--waves", "10,50,100",
                "--json");
        assertEquals(0, created.exit(), created.err());
        String id = created.json().get("rolloutId").asText();
        assertTrue(id.startsWith("r-"), created.out());

        Run watch = fleet("rollouts", "watch", id, "--interval", "0.1");
        assertEquals(0, watch.exit(), watch.err() + watch.out());
        assertTrue(watch.out().contains("SUCCEEDED"), watch.out());

        Run get = fleet("rollouts", "get", id, "--json");
        assertEquals(0, get.exit(), get.err());
        assertEquals("SUCCEEDED", get.json().get("state").asText());
        assertEquals(5, get.json().get("counts").get("SUCCEEDED").asInt());
        assertEquals(3, get.json().get("waves").size());
        Run table = fleet("rollouts", "get", id);
        assertTrue(table.out().startsWith("rollout " + id), table.out());
        assertTrue(table.out().contains("WAVE") && table.out().contains("PERCENT"), table.out());
        assertTrue(fleet("rollouts", "list").out().contains(id));
        assertEquals(5, fleet("rollouts", "executions", id, "--json").json().size());

        Run conflict = fleet("rollouts", "pause", id);
        assertEquals(1, conflict.exit());
        assertTrue(conflict.err().startsWith("ROLLOUT_STATE_CONFLICT: "), conflict.err());
        Run missing = fleet("rollouts", "get", "r-missing");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().startsWith("ROLLOUT_NOT_FOUND: "), missing.err());
        assertEquals(2, fleet("rollouts", "create", "--package", "classifier:1.1.0").exit(), "no target: usage error");

        h.fleet.defaultBehaviour = FakeFleet.REJECT;
        String plain = fleet("rollouts", "create", "--package", "classifier:1.0.0", "--devices", "d-00,d-01").out().strip();
        assertTrue(plain.startsWith("r-"), plain);
        Run aborted = fleet("rollouts", "watch", plain, "--interval", "0.1");
        assertEquals(1, aborted.exit(), "watch exits 1 when the rollout does not succeed: " + aborted.out());
        assertTrue(aborted.out().contains("ABORTED"), aborted.out());

        Run approval = fleet("rollouts", "create", "--package", "classifier:1.0.0", "--tag", "none=such",
                "--requires-approval");
        String waiting = approval.out().strip();
        assertEquals("AWAITING_APPROVAL", fleet("rollouts", "get", waiting, "--json").json().get("state").asText());
        Run approve = fleet("rollouts", "approve", waiting);
        assertEquals(0, approve.exit(), approve.err());
        assertTrue(approve.out().contains("SCHEDULED"), approve.out());
        // No device has the tag: the rollout has nothing to do and succeeds.
        h.awaitState(waiting, "SUCCEEDED");
    }
}
