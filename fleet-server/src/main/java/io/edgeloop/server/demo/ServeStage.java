package io.edgeloop.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetLoader;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Demo stage "serve": starts an edge agent as its own process, as a user runs it ({@code ./edgeloop
 * agent --package ...}), on the package the package stage signed (verified with its public key,
 * as a device would), classifies the Fashion-MNIST test set over the KServe v2 REST API, prints
 * accuracy, latency percentiles and the drift reports of a clean stream and of a shifted one
 * (inverted images), and stops the agent.
 */
public final class ServeStage implements DemoStage {
    static final int BATCH = 100;
    static final int SINGLE_REQUESTS = 300;
    static final int STREAM = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DatasetLoader datasets;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public ServeStage(DatasetLoader datasets) {
        this.datasets = datasets;
    }

    @Override
    public String title() {
        return "serve the package from an edge agent over KServe v2, report drift and health";
    }

    @Override
    public void run(DemoContext context) throws Exception {
        Path pkg = context.get(PackageStage.PACKAGE);
        Path publicKey = context.get(PackageStage.PUBLIC_KEY);
        PrintStream out = context.out();
        Path dataDir = context.workDir().resolve("agent");
        // Configuration a user would put in agent.yaml: local only, one drift window per stream.
        Path config = Files.writeString(context.workDir().resolve("agent.yaml"),
                "http:\n  host: 127.0.0.1\ndrift:\n  windowSize: " + STREAM + "\n");
        List<String> args = List.of("--config", config.toString(), "--http-port", "0", "--data-dir", dataDir.toString(),
                "--pubkey", publicKey.toString(), "--package", pkg.toString());
        Path log = context.workDir().resolve("agent.log");
        try (AgentProcess agent = AgentProcess.start(checkoutRoot(), args, log)) {
            String base = "http://127.0.0.1:" + agent.port();
            Map.Entry<String, JsonNode> active = JSON.readTree(get(base + "/v2/agent/health")).get("activeVersions")
                    .fields().next();
            String model = active.getKey();
            out.printf("      agent: %s %s ready on %s in %d ms (process %d, data in %s, log %s)%n", model,
                    active.getValue().asText(), base, agent.readyMillis(), agent.pid(), dataDir, log);
            JsonNode meta = JSON.readTree(get(base + "/v2/models/" + model));
            JsonNode inputShape = meta.get("inputs").get(0).get("shape");
            long[] sampleShape = new long[inputShape.size() - 1];
            for (int i = 1; i < inputShape.size(); i++) {
                sampleShape[i - 1] = inputShape.get(i).asLong();
            }
            out.printf("      model: input %s %s, variant %s, engine provider %s%n", meta.get("inputs").get(0).get("name").asText(),
                    inputShape, meta.get("parameters").get("variant").asText(),
                    meta.get("parameters").get("execution_provider").asText());
            String infer = base + "/v2/models/" + model + "/infer";
            Dataset test = datasets.fashionMnist("test");
            classifyTestSet(out, infer, test, sampleShape);
            singleRequests(out, infer, base + "/v2/models/" + model + "/feedback", test, sampleShape);
            String drift = base + "/v2/models/" + model + "/drift";
            JsonNode flushed = JSON.readTree(post(drift + "?flush=true", null, "GET")).get("last");
            if (flushed != null && flushed.get("labelled").asLong() > 0) {
                out.printf("      feedback: live accuracy %.3f on %d labels posted by request id (label-free estimate %.3f)%n",
                        flushed.get("liveAccuracy").asDouble(), flushed.get("labelled").asLong(),
                        flushed.get("estimatedAccuracy").asDouble());
            }
            stream(infer, test, 0, sampleShape, UnaryOperator.identity());
            printDrift(out, "clean stream (test images 0-999)", JSON.readTree(get(drift)).get("last"));
            stream(infer, test, STREAM, sampleShape, x -> 1f - x);
            printDrift(out, "shifted stream (test images 1000-1999, inverted)", JSON.readTree(get(drift)).get("last"));
            JsonNode health = JSON.readTree(get(base + "/v2/agent/health"));
            out.printf("      health: %d requests, p50 %.3f ms, p99 %.3f ms (in the agent), agent resident %d MB, captures %d%n",
                    health.get("requests").asLong(), health.get("p50Ms").asDouble(), health.get("p99Ms").asDouble(),
                    health.get("residentBytes").asLong() >> 20, captures(get(base + "/metrics")));
        }
        out.printf("      agent stopped%n");
    }

    /** The checkout the launcher runs from ({@code -Dedgeloop.home}); the agent's jars are built there. */
    private static Path checkoutRoot() {
        return Path.of(System.getProperty("edgeloop.home", ".")).toAbsolutePath().normalize();
    }

    /** Captured samples, from the agent's Prometheus gauge {@code edgeloop_capture_records}. */
    static long captures(String metrics) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith("edgeloop_capture_records ")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private void classifyTestSet(PrintStream out, String infer, Dataset test, long[] sampleShape) throws Exception {
        Histogram latency = new Histogram(3);
        int correct = 0;
        long t0 = System.nanoTime();
        for (int from = 0; from < test.size(); from += BATCH) {
            int rows = Math.min(BATCH, test.size() - from);
            long start = System.nanoTime();
            float[] probs = probabilities(post(infer, body(null, test.features(), from, rows, sampleShape, UnaryOperator.identity()), "POST"));
            latency.recordValue((System.nanoTime() - start) / 1000);
            int classes = probs.length / rows;
            for (int r = 0; r < rows; r++) {
                correct += argmax(probs, r * classes, classes) == test.label(from + r) ? 1 : 0;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf("      test set over HTTP: accuracy %.4f on %d images; %d requests of %d: p50 %.2f ms, p95 %.2f ms,"
                        + " p99 %.2f ms; %.0f images/s%n", (double) correct / test.size(), test.size(), latency.getTotalCount(),
                BATCH, latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(95) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0, test.size() / seconds);
    }

    private void singleRequests(PrintStream out, String infer, String feedback, Dataset test, long[] sampleShape)
            throws Exception {
        Histogram latency = new Histogram(3);
        for (int i = 0; i < SINGLE_REQUESTS; i++) {
            long start = System.nanoTime();
            post(infer, body("single-" + i, test.features(), i, 1, sampleShape, UnaryOperator.identity()), "POST");
            latency.recordValue((System.nanoTime() - start) / 1000);
            // Ground truth arrives later, by request id: it feeds the drift monitor's live accuracy.
            post(feedback, "{\"id\":\"single-" + i + "\",\"label\":" + test.label(i) + "}", "POST");
        }
        out.printf("      single-image requests: p50 %.3f ms, p95 %.3f ms, p99 %.3f ms over %d (client side, HTTP/1.1 keep-alive)%n",
                latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(95) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0, latency.getTotalCount());
    }

    private void stream(String infer, Dataset test, int from, long[] sampleShape, UnaryOperator<Float> transform)
            throws Exception {
        for (int at = from; at < from + STREAM; at += BATCH) {
            post(infer, body(null, test.features(), at, BATCH, sampleShape, transform), "POST");
        }
    }

    private static void printDrift(PrintStream out, String title, JsonNode r) {
        if (r == null || r.isNull()) {
            out.printf("      drift, %s: no full window yet%n", title);
            return;
        }
        out.printf("      drift, %s: %s%n", title, r.get("drifted").asBoolean() ? "DRIFT" : "no drift");
        for (JsonNode f : r.get("features")) {
            out.printf("        %-6s %-12s mean %.3f (baseline %.3f)  PSI %.3f  KS D %.3f p=%.2g (alpha %.4f)%s%n",
                    f.path("source").asText("input"), f.get("name").asText(), f.get("mean").asDouble(), f.get("baselineMean").asDouble(), f.get("psi").asDouble(),
                    f.get("ksStatistic").asDouble(), f.get("ksPValue").asDouble(), f.get("threshold").asDouble(),
                    f.get("drifted").asBoolean() ? "  drifted" : "");
        }
        out.printf("        predicted classes PSI %.3f (chi-square p=%.2g); mean confidence %.3f vs %.3f;"
                        + " estimated accuracy %.3f (baseline %.3f)%s%n", r.get("outputPsi").asDouble(),
                r.get("outputChiSquareP").asDouble(), r.get("meanConfidence").asDouble(),
                r.get("baselineMeanConfidence").asDouble(), r.get("estimatedAccuracy").asDouble(),
                r.get("baselineAccuracy").asDouble(),
                r.get("labelled").asLong() > 0 ? String.format("; live accuracy %.3f on %d labels",
                        r.get("liveAccuracy").asDouble(), r.get("labelled").asLong()) : "");
        for (JsonNode reason : r.get("reasons")) {
            out.printf("        reason: %s%n", reason.asText());
        }
        out.printf("        %s%n", r.path("summary").asText(""));
    }

    private static String body(String id, float[] x, int from, int rows, long[] sampleShape, UnaryOperator<Float> transform) {
        int width = 1;
        StringBuilder shape = new StringBuilder().append(rows);
        for (long d : sampleShape) {
            width *= (int) d;
            shape.append(',').append(d);
        }
        StringBuilder b = new StringBuilder(rows * width * 6 + 128).append('{');
        if (id != null) {
            b.append("\"id\":\"").append(id).append("\",");
        }
        b.append("\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[").append(shape).append("],\"data\":[");
        for (int i = from * width; i < (from + rows) * width; i++) {
            b.append(i == from * width ? "" : ",").append(transform.apply(x[i]));
        }
        return b.append("]}]}").toString();
    }

    private String get(String url) throws Exception {
        return post(url, null, "GET");
    }

    private String post(String url, String body, String method) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static float[] probabilities(String response) throws Exception {
        JsonNode data = JSON.readTree(response).get("outputs").get(0).get("data");
        float[] out = new float[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.get(i).floatValue();
        }
        return out;
    }

    private static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
