package io.edgeloop.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.packager.data.PiiHasher;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.auth.AdminTokenFile;
import io.edgeloop.server.datasets.PiiKeyFile;
import io.edgeloop.server.fixtures.ApiClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dataset store over real HTTP on an H2 file: a CSV import through PII rules stores only the
 * cleaned text (no raw value anywhere under the data folder), is listed, read and audited with
 * its figures, refuses bad rules with their code, and trains as {@code dataset:NAME}.
 */
class DatasetRoutesTest {
    @TempDir
    Path dir;

    private FleetServer server;
    private ApiClient api;
    private String admin;
    private final List<String> emails = new ArrayList<>();
    private final List<String> customers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = FleetServer.start(FleetServerOptions.embedded(dir.resolve("data"), 0, 0), FleetServer.Plugins.defaults());
        api = new ApiClient(server.httpPort());
        admin = Files.readString(dir.resolve("data").resolve(AdminTokenFile.FILE_NAME)).strip();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** 300 rows: e-mail and customer id (PII), two numeric features, a label the first feature predicts. */
    private String people() {
        StringBuilder csv = new StringBuilder("email,customer_id,x,y,label\r\n");
        Random random = new Random(3);
        for (int i = 0; i < 300; i++) {
            String email = "person" + i + "@example.org";
            String customer = "CUST-" + (7000 + i % 40);
            emails.add(email);
            customers.add(customer);
            int label = i % 2;
            csv.append(String.format(Locale.ROOT, "%s,%s,%.3f,%.3f,%s\r\n", email, customer,
                    label * 3 + random.nextGaussian(), random.nextGaussian(), label == 1 ? "pos" : "neg"));
        }
        return csv.toString();
    }

    private ApiClient.Reply importCsv(String query, String body, String token) throws Exception {
        return api.send(api.request("/api/v1/datasets?" + query, token).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void importStoresOnlyTheCleanedDataAndAuditsIt() throws Exception {
        String csv = people();
        ApiClient.Reply created = importCsv("name=people&label=label&group=customer_id&pii=email:drop,customer_id:hash",
                csv, admin);
        assertEquals(201, created.status(), created.body());
        JsonNode d = created.json();
        assertEquals("people", d.get("name").asText());
        assertEquals(300, d.get("rows").asInt());
        assertEquals("[{\"name\":\"customer_id\",\"role\":\"GROUP\"},{\"name\":\"x\",\"role\":\"FEATURE\"},"
                + "{\"name\":\"y\",\"role\":\"FEATURE\"},{\"name\":\"label\",\"role\":\"LABEL\"}]", d.get("columns").toString());
        assertEquals("{\"email\":\"drop\",\"customer_id\":\"hash\"}", d.get("rules").toString());
        assertEquals(300, d.get("report").get("rowsRead").asInt());
        assertEquals(300, d.get("report").get("rowsKept").asInt());

        // The stored file is the cleaned text: its sha256, no e-mail column, the ids as keyed hashes.
        Path data = dir.resolve("data");
        Path stored = data.resolve("datasets/sha256/" + d.get("sha256").asText() + ".csv");
        byte[] bytes = Files.readAllBytes(stored);
        assertEquals(d.get("sha256").asText(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertEquals(bytes.length, d.get("sizeBytes").asLong());
        List<String> lines = Files.readAllLines(stored);
        assertEquals("customer_id,x,y,label", lines.get(0));
        Path keyFile = data.resolve(PiiKeyFile.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        PiiHasher hasher = PiiHasher.hmac(HexFormat.of().parseHex(Files.readString(keyFile).strip()));
        assertTrue(lines.get(1).startsWith(hasher.hash(customers.get(0)) + ","), lines.get(1));
        assertEquals(lines.get(1).substring(0, 64), lines.get(41).substring(0, 64), "equal ids hash alike, so they still join");

        // No raw PII value in any file under the data folder: stored CSV, database, key, anything.
        List<String> raw = new ArrayList<>(emails);
        raw.addAll(customers.subList(0, 40));
        raw.add("example.org");
        raw.add("CUST-");
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String value : raw) {
                    assertFalse(text.contains(value), f + " holds the raw value " + value);
                }
            }
        }
        try (Stream<Path> incoming = Files.list(data.resolve("datasets/incoming"))) {
            assertEquals(0, incoming.count(), "nothing left in incoming/");
        }

        assertEquals("people", api.get("/api/v1/datasets", admin).json().get(0).get("name").asText());
        assertEquals(d.get("datasetSha256"), api.get("/api/v1/datasets/people", admin).json().get("datasetSha256"));
        ApiClient.Reply missing = api.get("/api/v1/datasets/nobody", admin);
        assertEquals(404, missing.status());
        assertEquals("DATASET_NOT_FOUND", missing.code());
        ApiClient.Reply again = importCsv("name=people&label=label", "x,label\n1,a\n", admin);
        assertEquals(409, again.status(), again.body());
        assertEquals("DATASET_ALREADY_EXISTS", again.code());

        JsonNode audit = api.get("/api/v1/audit?target=dataset:people", admin).json();
        assertEquals(1, audit.size(), audit.toString());
        JsonNode entry = audit.get(0);
        assertEquals("dataset.import", entry.get("action").asText());
        assertEquals(300, entry.get("after").get("rows").asInt());
        assertEquals(300, entry.get("after").get("rowsKept").asInt());
        assertEquals("hash", entry.get("after").get("rules").get("customer_id").asText());
        assertEquals(d.get("sha256"), entry.get("after").get("sha256"));
    }

    @Test
    void badImportsAnswerTheirCodeAndStoreNothing() throws Exception {
        String csv = people();
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("name=a&label=label&pii=mail:drop", new String[] {"400", "PII_RULE_INVALID", "'mail'"});
        cases.put("name=a&label=label&pii=label:hash", new String[] {"400", "PII_RULE_INVALID", "label column"});
        cases.put("name=a&label=label&pii=email:mask", new String[] {"400", "PII_RULE_INVALID", "mask"});
        cases.put("name=a&label=nope&pii=email:drop", new String[] {"400", "INVALID_ARGUMENT", "'nope'"});
        cases.put("name=../x&label=label", new String[] {"400", "INVALID_ARGUMENT", "name"});
        // Without a rule the e-mail column is a feature, and not a number: refused, nothing kept.
        cases.put("name=a&label=label&pii=customer_id:hash", new String[] {"400", "DATASET_INVALID", "'email'"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            ApiClient.Reply r = importCsv(c.getKey(), csv, admin);
            assertEquals(Integer.parseInt(c.getValue()[0]), r.status(), c.getKey() + ": " + r.body());
            assertEquals(c.getValue()[1], r.code(), c.getKey() + ": " + r.body());
            assertTrue(r.json().get("error").asText().contains(c.getValue()[2]), r.body());
        }
        ApiClient.Reply ragged = importCsv("name=a&label=label&pii=email:drop,customer_id:hash",
                csv + "a@b.c,1,2\n", admin);
        assertEquals(400, ragged.status(), ragged.body());
        assertEquals("DATASET_INVALID", ragged.code());
        assertTrue(ragged.json().get("error").asText().contains("line 302"), ragged.body());

        ApiClient.Reply viewer = api.post("/api/v1/tokens", admin, Map.of("name", "wall", "role", "viewer"));
        ApiClient.Reply denied = importCsv("name=a&label=label&pii=email:drop,customer_id:hash", csv,
                viewer.json().get("token").asText());
        assertEquals(403, denied.status(), denied.body());
        assertEquals(0, api.get("/api/v1/datasets", admin).json().size());
        Path incoming = dir.resolve("data/datasets/incoming");
        if (Files.exists(incoming)) {
            for (int i = 0; i < 50 && Files.list(incoming).findAny().isPresent(); i++) {
                Thread.sleep(100); // a refused upload's file is deleted after the answer
            }
            try (Stream<Path> left = Files.list(incoming)) {
                assertEquals(0, left.count(), "refused uploads leave nothing behind");
            }
        }
    }

    @Test
    void trainsOnAStoredDataset() throws Exception {
        assertEquals(201, importCsv("name=people&label=label&pii=email:drop,customer_id:hash", people(), admin).status());
        ApiClient.Reply unknown = api.post("/api/v1/training-runs", admin, Map.of("dataset", "dataset:nobody"));
        assertEquals(404, unknown.status(), unknown.body());
        assertEquals("DATASET_NOT_FOUND", unknown.code());

        ApiClient.Reply accepted = api.post("/api/v1/training-runs", admin, Map.of("dataset", "dataset:people",
                "model", "logreg", "epochs", 5, "learningRate", 0.05, "batchSize", 32));
        assertEquals(202, accepted.status(), accepted.body());
        String id = accepted.json().get("id").asText();
        JsonNode run = null;
        for (int i = 0; i < 600; i++) {
            run = api.get("/api/v1/training-runs/" + id, admin).json();
            if (!"RUNNING".equals(run.get("status").asText())) {
                break;
            }
            Thread.sleep(200);
        }
        assertEquals("SUCCEEDED", run.get("status").asText(), run.toString());
        assertEquals("dataset:people", run.get("dataset").asText(), run.toString());
        assertTrue(run.get("metrics").get("test_accuracy").asDouble() > 0.8, run.toString());
    }
}
