package io.edgeloop.it;

import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * More than 10,000 malformed requests against a real agent process: every one answers 4xx with
 * an {@code error} body, none 5xx, and the agent serves a valid request afterwards.
 */
class AgentFuzzIT {
    static final int MUTATED = 10_000;
    /** Characters that break JSON or the request wherever they land (no digits, no whitespace). */
    private static final String BREAKERS = "x#\"{}[]:,\u0001";

    @TempDir
    Path dir;

    @Test
    void malformedRequestsAllAnswer4xxAndTheAgentKeepsServing() throws Exception {
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(dir.resolve("keys"));
        Path pkg = TestPackages.signedPackage(dir.resolve("pkg"), TestModels.randomMlp(2), "fashion", "1.0.0", keys);
        float[] x = TestImages.testSet().head(4).features();
        String valid = AgentProcess.inferBody(null, x, 0, 1, 784);
        try (AgentProcess agent = AgentProcess.start(AgentProcess.options(dir.resolve("data"))
                        .withHttp(http -> http.withBodyLimitBytes(1_048_576)),
                List.of("--package", pkg.toString(), "--pubkey", keys.publicKey().toString()), List.of("-Xmx128m"))) {
            assertEquals(200, agent.post("/v2/models/fashion/infer", valid).statusCode());
            List<Case> cases = new ArrayList<>(handWritten(valid));
            SplittableRandom r = new SplittableRandom(42);
            for (int i = 0; i < MUTATED; i++) {
                cases.add(new Case("POST", "/v2/models/fashion/infer", mutate(valid, r)));
            }
            Map<Integer, AtomicInteger> statuses = new TreeMap<>();
            Map<String, String> unexpected = new ConcurrentHashMap<>();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Integer>> results = new ArrayList<>();
            for (Case c : cases) {
                results.add(pool.submit(() -> send(http, agent, c, unexpected)));
            }
            for (Future<Integer> f : results) {
                statuses.computeIfAbsent(f.get(), s -> new AtomicInteger()).incrementAndGet();
            }
            pool.shutdown();
            System.out.printf("fuzz: %d malformed requests, statuses %s%n", cases.size(), statuses);
            assertTrue(cases.size() >= 10_000);
            unexpected.forEach((k, v) -> System.out.println("UNEXPECTED " + k.substring(0, Math.min(120, k.length())) + " -> " + v));
            assertTrue(unexpected.isEmpty(), "not 4xx with an error body: " + unexpected.entrySet().stream().limit(5).toList());
            assertEquals(200, agent.post("/v2/models/fashion/infer", valid).statusCode());
            assertEquals(200, agent.get("/v2/health/ready").statusCode());
            assertTrue(agent.alive());
        }
    }

    record Case(String method, String path, String body) {
    }

    private static int send(HttpClient http, AgentProcess agent, Case c, Map<String, String> unexpected) {
        // The agent closes a connection after refusing a too-large body (413); a pooled request that
        // raced onto that connection sees it closed before any reply. That is transport, not the
        // agent's answer: retry it on a fresh attempt.
        for (int attempt = 1; attempt < 3; attempt++) {
            int status = sendOnce(http, agent, c, unexpected, attempt == 2);
            if (status != -1) {
                return status;
            }
        }
        return -1;
    }

    private static int sendOnce(HttpClient http, AgentProcess agent, Case c, Map<String, String> unexpected,
                                boolean lastAttempt) {
        try {
            HttpRequest.BodyPublisher body = c.body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(c.body, StandardCharsets.UTF_8);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + c.path))
                    .timeout(Duration.ofSeconds(30)).method(c.method, body).build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            boolean ok = r.statusCode() >= 400 && r.statusCode() < 500 && (r.statusCode() == 414 || r.body().contains("\"error\""));
            if (!ok) {
                unexpected.put(c.method + " " + c.path + " " + abbreviate(c.body), r.statusCode() + " " + abbreviate(r.body()));
            }
            return r.statusCode();
        } catch (java.io.IOException e) {
            if (lastAttempt) {
                unexpected.put(c.method + " " + c.path + " " + abbreviate(c.body), e.toString());
            }
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    /** One random change that always makes the request invalid: truncation, or a breaking character. */
    static String mutate(String valid, SplittableRandom r) {
        int kind = r.nextInt(3);
        int at = 1 + r.nextInt(valid.length() - 2);
        char breaker = BREAKERS.charAt(r.nextInt(BREAKERS.length()));
        if (kind == 2 && valid.charAt(at) == breaker) {
            // Replacing a character by itself would leave the request valid.
            breaker = breaker == 'x' ? '#' : 'x';
        }
        return switch (kind) {
            case 0 -> valid.substring(0, at);
            case 1 -> valid.substring(0, at) + breaker + valid.substring(at);
            default -> valid.substring(0, at) + breaker + valid.substring(at + 1);
        };
    }

    static List<Case> handWritten(String valid) {
        String infer = "/v2/models/fashion/infer";
        String head = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":";
        List<Case> cases = new ArrayList<>();
        for (String body : List.of("", "null", "[]", "42", "\"x\"", "{}", "{\"inputs\":{}}", "{\"inputs\":[1]}",
                "{\"inputs\":[]}", head + "[1,784],\"data\":[NaN]}]}", head + "[1,784],\"data\":[Infinity]}]}",
                head + "[1,784],\"data\":[1e400]}]}", head + "[1,783],\"data\":" + zeros(783) + "}]}",
                head + "[784],\"data\":" + zeros(784) + "}]}", head + "[0,784],\"data\":[]}]}",
                head + "[-1,784],\"data\":[]}]}", head + "[1,784],\"data\":\"abc\"}]}",
                head + "[100000,100000],\"data\":[]}]}", head + "[1,2,3,4,5,6,7,8,9],\"data\":[]}]}",
                "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP64\",\"shape\":[1,784],\"data\":" + zeros(784) + "}]}",
                "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"INT8\",\"shape\":[1,784],\"data\":" + zeros(784) + "}]}",
                "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"BOOL\",\"shape\":[1,784],\"data\":" + zeros(784) + "}]}",
                "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"BF16\",\"shape\":[1,784],\"data\":" + zeros(784) + "}]}",
                "{\"inputs\":[{\"name\":\"other\",\"datatype\":\"FP32\",\"shape\":[1,784],\"data\":" + zeros(784) + "}]}",
                valid.replace("}]}", "}],\"outputs\":[{\"name\":\"nope\"}]}"),
                valid.substring(0, valid.length() - 1) + ",}", valid + valid, "[" + "[".repeat(5000) + "]".repeat(5000),
                "{\"inputs\":[" + "{},".repeat(100) + "{}]}", "\u0000\u0001\u0002", "{\"id\":" + "9".repeat(10_000) + "}")) {
            cases.add(new Case("POST", infer, body));
        }
        cases.add(new Case("POST", infer, "{\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}"));
        cases.add(new Case("POST", "/v2/models/unknown/infer", valid));
        cases.add(new Case("POST", "/v2/models/fashion/versions/9.9.9/infer", valid));
        cases.add(new Case("GET", infer, null));
        cases.add(new Case("DELETE", "/v2/models/fashion", null));
        cases.add(new Case("GET", "/v2/models/%2e%2e%2f%2e%2e%2fetc%2fpasswd", null));
        cases.add(new Case("GET", "/v2/models/fashion/versions/x/ready", null));
        cases.add(new Case("GET", "/nothing", null));
        cases.add(new Case("GET", "/v2/models/" + "a".repeat(10_000), null));
        cases.add(new Case("POST", "/v2/models/fashion/feedback", "{\"id\":\"never-seen\",\"label\":1}"));
        cases.add(new Case("POST", "/v2/models/fashion/feedback", "{\"id\":1}"));
        cases.add(new Case("POST", "/v2/models/fashion/feedback", "not json"));
        cases.add(new Case("POST", "/v2/agent/models/fashion/versions/9.9.9/activate", null));
        cases.add(new Case("POST", "/v2/agent/models/fashion/rollback", null));
        cases.add(new Case("POST", "/v2/agent/packages", "not a zip"));
        return cases;
    }

    static String zeros(int n) {
        return "[" + "0,".repeat(n - 1) + "0]";
    }
}
