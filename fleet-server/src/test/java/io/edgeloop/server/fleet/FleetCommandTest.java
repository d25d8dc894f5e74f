package io.edgeloop.server.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.auth.AdminTokenFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code edgeloop fleet …} run in-process against a live server: output, JSON and exit codes. */
class FleetCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static FleetServer server;
    private static String url;
    private static String admin;
    private static Path pkg;

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        KeyPairFiles.Paths keys = KeyPairFiles.generate(java.nio.file.Files.createDirectories(dir.resolve("keys")), "publisher");
        pkg = TestPackages.mlpPackage(dir.resolve("pkgs"), "cli-model", "1.0.0", KeyPairFiles.loadPair(keys.privateKey()));
        server = FleetServer.start(FleetServerOptions.embedded(dir.resolve("server"), 0, 0)
                .withTrustedKeys(List.of(keys.publicKey())), FleetServer.Plugins.defaults());
        url = "http://localhost:" + server.httpPort();
        admin = Files.readString(dir.resolve("server").resolve(AdminTokenFile.FILE_NAME)).strip();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void retrainingPolicySetGetEvaluateDecisionsAndLineage() throws Exception {
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, "{\"dryRun\":true,\"minDriftedDevices\":1,\"cooldown\":\"PT10M\"}");
        Run set = admin("retraining", "policy", "set", "cli-model", policy.toString());
        assertEquals(0, set.exit(), set.err());
        assertEquals("policy of cli-model set (enabled, dry run)\n", set.out());
        Run get = admin("retraining", "policy", "get", "cli-model");
        assertEquals(0, get.exit(), get.err());
        assertEquals("PT10M", get.json().get("cooldown").asText());
        assertEquals(0.1, get.json().get("mix").get("capturedFraction").asDouble(), "defaults filled in");

        Run evaluate = admin("retraining", "evaluate", "cli-model", "--dry-run");
        assertEquals(0, evaluate.exit(), evaluate.err());
        assertTrue(evaluate.out().contains("cli-model WAIT (dry run): DECIDED"), evaluate.out());
        assertTrue(evaluate.out().contains("  - no production version in the registry"), evaluate.out());
        Run decisions = admin("retraining", "decisions", "--model", "cli-model", "--json");
        assertEquals(1, decisions.json().size(), decisions.out());
        assertEquals("WAIT", decisions.json().get(0).get("action").asText());

        Files.writeString(policy, "{\"minDriftedDevice\":1}");
        Run typo = admin("retraining", "policy", "set", "cli-model", policy.toString());
        assertEquals(1, typo.exit());
        assertTrue(typo.err().startsWith("INVALID_ARGUMENT: ") && typo.err().contains("minDriftedDevice"), typo.err());
        Run none = admin("retraining", "evaluate", "nothing");
        assertTrue(none.err().startsWith("RETRAINING_POLICY_NOT_FOUND"), none.err());
        Run lineage = admin("models", "lineage", "cli-model", "1");
        assertEquals(1, lineage.exit());
        assertTrue(lineage.err().startsWith("MODEL_NOT_FOUND"), lineage.err());
    }

    private static Run fleet(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new FleetCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run admin(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", url, "--token", admin));
        return fleet(all.toArray(String[]::new));
    }

    @Test
    void devicesEnrolListGetRevoke() throws Exception {
        Run enrol = admin("devices", "enrol", "cli-1", "--group", "lab", "--tag", "site=berlin", "--tag", "rack=2", "--json");
        assertEquals(0, enrol.exit(), enrol.err());
        assertEquals("cli-1", enrol.json().get("deviceId").asText());
        assertTrue(enrol.json().get("enrolToken").asText().startsWith("ele_"));

        Run list = admin("devices", "list", "--group", "lab", "--json");
        assertEquals(0, list.exit(), list.err());
        JsonNode device = list.json().get(0);
        assertEquals("cli-1", device.get("deviceId").asText());
        assertFalse(device.get("online").asBoolean());
        assertEquals("berlin", device.get("tags").get("site").asText());

        Run table = admin("devices", "list", "--tag", "site=berlin");
        assertEquals(0, table.exit());
        assertTrue(table.out().startsWith("DEVICE"), table.out());
        assertTrue(table.out().contains("cli-1") && table.out().contains("rack=2,site=berlin"), table.out());
        assertEquals(0, admin("devices", "list", "--online", "--json").json().size(), "nothing is online yet");

        assertEquals("lab", admin("devices", "get", "cli-1", "--json").json().get("group").asText());
        Run missing = admin("devices", "get", "nope");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().startsWith("DEVICE_NOT_FOUND: "), missing.err());

        Run revoke = admin("devices", "revoke", "cli-1");
        assertEquals(0, revoke.exit(), revoke.err());
        assertEquals("revoked", admin("devices", "get", "cli-1", "--json").json().get("status").asText());
    }

    @Test
    void packagesUploadListGetDelete() throws Exception {
        Run up = admin("packages", "upload", pkg.toString(), "--json");
        assertEquals(0, up.exit(), up.err());
        assertEquals("cli-model", up.json().get("name").asText());
        Run again = admin("packages", "upload", pkg.toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().startsWith("PACKAGE_ALREADY_EXISTS: "), again.err());
        assertTrue(admin("packages", "list").out().contains("cli-model"));
        assertEquals("cli-model", admin("packages", "get", "cli-model", "1.0.0", "--json").json()
                .get("manifest").get("name").asText());
        assertEquals(0, admin("packages", "delete", "cli-model", "1.0.0").exit());
        assertEquals(0, admin("packages", "list", "--json").json().size());
    }

    @Test
    void datasetsImportListGet() throws Exception {
        Path csv = Files.writeString(dir.resolve("people.csv"), "email,id,x,label\n"
                + "ann@example.org,c1,1.0,yes\nbob@example.org,c2,2.0,no\ncy@example.org,c1,3.0,yes\n");
        Run imported = admin("datasets", "import", csv.toString(), "--name", "cli-people", "--label", "label",
                "--pii", "email:drop", "--pii", "id:hash");
        assertEquals(0, imported.exit(), imported.err());
        assertTrue(imported.out().startsWith("imported cli-people: 3 rows, columns id(hashed),x(feature),label(label),"
                + " rules email:drop,id:hash"), imported.out());
        Run list = admin("datasets", "list");
        assertTrue(list.out().startsWith("NAME") && list.out().contains("cli-people"), list.out());
        assertEquals(3, admin("datasets", "get", "cli-people", "--json").json().get("report").get("rowsKept").asInt());
        Run unknown = admin("datasets", "import", csv.toString(), "--name", "bad", "--label", "label", "--pii", "mail:drop");
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().startsWith("PII_RULE_INVALID: "), unknown.err());
        Run missing = admin("datasets", "get", "nobody");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().startsWith("DATASET_NOT_FOUND: "), missing.err());
    }

    @Test
    void tokensAuditConfigFileAndExitCodes() throws Exception {
        Run created = admin("tokens", "create", "reader", "--role", "viewer", "--json");
        assertEquals(0, created.exit(), created.err());
        String viewer = created.json().get("token").asText();
        String id = created.json().get("id").asText();
        assertTrue(admin("tokens", "list").out().contains("reader"));

        Path config = Files.writeString(dir.resolve("fleet.yaml"), "server: " + url + "\ntoken: " + viewer + "\n");
        Run asViewer = fleet("devices", "list", "--config", config.toString(), "--json");
        assertEquals(0, asViewer.exit(), asViewer.err());
        Run denied = fleet("devices", "enrol", "x", "--config", config.toString());
        assertEquals(1, denied.exit());
        assertTrue(denied.err().startsWith("PERMISSION_DENIED: "), denied.err());
        Run deniedUpload = fleet("packages", "upload", pkg.toString(), "--config", config.toString());
        assertEquals(1, deniedUpload.exit());
        assertTrue(deniedUpload.err().startsWith("PERMISSION_DENIED: "), deniedUpload.err());

        assertEquals(0, admin("tokens", "revoke", id).exit());
        Run revoked = fleet("devices", "list", "--config", config.toString());
        assertEquals(1, revoked.exit());
        assertTrue(revoked.err().startsWith("AUTHENTICATION_REQUIRED: "), revoked.err());

        Run audit = admin("audit", "--target", "token:" + id, "--json");
        assertEquals(0, audit.exit(), audit.err());
        assertEquals("token.revoke", audit.json().get(0).get("action").asText());
        assertTrue(admin("audit").out().startsWith("AT"));

        assertEquals(2, admin("devices", "enrol").exit(), "missing ID is a usage error");
        assertEquals(2, admin("devices", "enrol", "y", "--tag", "novalue").exit());
        assertEquals(2, fleet("devices", "list", "--server", url, "--config", dir.resolve("none.yaml").toString()).exit());
        Run unreachable = fleet("devices", "list", "--server", "http://localhost:1", "--token", admin);
        assertEquals(1, unreachable.exit());
        assertTrue(unreachable.err().contains("cannot connect"), unreachable.err());
    }
}
