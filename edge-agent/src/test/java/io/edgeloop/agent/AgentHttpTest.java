package io.edgeloop.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.agent.engine.EngineOptions;
import io.edgeloop.agent.engine.ModelSession;
import io.edgeloop.agent.engine.OnnxRuntimeEngine;
import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.agent.store.OnnxFileInstaller;
import io.edgeloop.fixtures.TestModelFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent in-process on a free port: KServe v2 over real HTTP. */
class AgentHttpTest {
    @TempDir
    static Path dir;
    static Agent agent;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        AgentOptions options = AgentOptions.DEFAULT.withDataDir(dir.resolve("data")).withProfile("generic-x86_64")
                .withHttp(http -> http.withHost("127.0.0.1").withPort(0).withBodyLimitBytes(200_000))
                .withCapture(capture -> capture.withSampleRate(1.0));
        agent = Agent.builder(options).install(TestModelFiles.softmaxMlp(dir))
                .installers(List.of((store, o, device) -> new OnnxFileInstaller(store, "fashion", "1"))).start();
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndMetadata() throws Exception {
        assertEquals(200, get("/v2/health/live").statusCode());
        assertEquals(200, get("/v2/health/ready").statusCode());
        assertEquals("edgeloop-agent", JSON.readTree(get("/v2").body()).get("name").asText());
        JsonNode meta = JSON.readTree(get("/v2/models/fashion").body());
        assertEquals("input", meta.get("inputs").get(0).get("name").asText());
        assertEquals(-1, meta.get("inputs").get(0).get("shape").get(0).asInt());
        assertEquals(200, get("/v2/models/fashion/versions/1/ready").statusCode());
        assertEquals(404, get("/v2/models/fashion/versions/9/ready").statusCode());
        assertEquals(404, get("/v2/models/nope").statusCode());
    }

    @Test
    void httpOutputsEqualInProcessOnnxRuntime() throws Exception {
        float[] x = new float[2 * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i) * 0.5f + 0.5f;
        }
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < x.length; i++) {
            data.append(i == 0 ? "" : ",").append(x[i]);
        }
        HttpResponse<String> r = post("/v2/models/fashion/infer", "{\"id\":\"q1\",\"inputs\":[{\"name\":\"input\","
                + "\"shape\":[2,784],\"datatype\":\"FP32\",\"data\":[" + data + "]}]}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode out = JSON.readTree(r.body());
        assertEquals("q1", out.get("id").asText());
        assertEquals("1", out.get("model_version").asText());
        JsonNode probs = out.get("outputs").get(0);
        assertEquals("probs", probs.get("name").asText());
        try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine();
             ModelSession session = engine.open(TestModelFiles.softmaxMlp(dir.resolve("ref")), EngineOptions.DEFAULT)) {
            float[] expected = session.run(List.of(Tensor.of("input", x, 2, 784))).get(0).floats();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], probs.get("data").get(i).floatValue(), 1e-6f);
            }
        }
        assertTrue(agent.capture().count() >= 2, "sampling rate 1.0 captures every row");
    }

    @Test
    void binaryTensorDataInAndOutEqualsInProcessOnnxRuntime() throws Exception {
        float[] x = new float[3 * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.cos(i) * 0.5f + 0.5f;
        }
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(x.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(x);
        byte[] header = ("{\"id\":\"b1\",\"inputs\":[{\"name\":\"input\",\"shape\":[3,784],\"datatype\":\"FP32\","
                + "\"parameters\":{\"binary_data_size\":" + x.length * 4 + "}}],\"parameters\":{\"binary_data_output\":true}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] body = java.util.Arrays.copyOf(header, header.length + x.length * 4);
        System.arraycopy(data.array(), 0, body, header.length, x.length * 4);
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port()
                        + "/v2/models/fashion/infer")).header("Inference-Header-Content-Length", Integer.toString(header.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        int jsonLength = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode out = JSON.readTree(java.util.Arrays.copyOf(r.body(), jsonLength));
        JsonNode probs = out.get("outputs").get(0);
        assertEquals(3 * 10 * 4, probs.get("parameters").get("binary_data_size").asInt());
        assertEquals(null, probs.get("data"));
        float[] got = new float[30];
        java.nio.ByteBuffer.wrap(r.body(), jsonLength, 120).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
        try (OnnxRuntimeEngine engine = new OnnxRuntimeEngine();
             ModelSession session = engine.open(TestModelFiles.softmaxMlp(dir.resolve("ref-binary")), EngineOptions.DEFAULT)) {
            float[] expected = session.run(List.of(Tensor.of("input", x, 3, 784))).get(0).floats();
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, got, 1e-6f);
        }
        byte[] shortBody = java.util.Arrays.copyOf(body, body.length - 4);
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port()
                        + "/v2/models/fashion/infer")).header("Inference-Header-Content-Length", Integer.toString(header.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(shortBody)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("binary_data_size 9408 but only 9404 bytes"), refused.body());
    }

    @Test
    void aJsonBodySentAsAFormIsStillReadAsJson() throws Exception {
        // What curl -d sends when no content type is given.
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port()
                        + "/v2/models/fashion/infer")).header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,784],"
                        + "\"datatype\":\"FP32\",\"data\":" + zeros(784) + "}]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("probs", JSON.readTree(r.body()).get("outputs").get(0).get("name").asText());
    }

    @Test
    void badRequestsAnswer4xxWithAnErrorAndTheAgentKeepsServing() throws Exception {
        Map<String, Integer> cases = Map.of(
                "{", 400,
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}", 400,
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,784],\"datatype\":\"FP64\",\"data\":[1]}]}", 400,
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1],\"datatype\":\"FP32\",\"data\":[NaN]}]}", 400,
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[0,784],\"datatype\":\"FP32\",\"data\":[]}]}", 400,
                "x".repeat(300_000), 413);
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            HttpResponse<String> r = post("/v2/models/fashion/infer", c.getKey());
            assertEquals(c.getValue(), r.statusCode(), r.body());
            assertTrue(JSON.readTree(r.body()).get("error").asText().length() > 3, r.body());
        }
        assertEquals(404, post("/v2/models/unknown/infer", "{}").statusCode());
        assertEquals(404, get("/v2/nothing/here").statusCode());
        assertEquals(405, post("/v2/health/live", "{}").statusCode());
        String ok = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,784],\"datatype\":\"FP32\",\"data\":" + zeros(784) + "}]}";
        assertEquals(200, post("/v2/models/fashion/infer", ok).statusCode());
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        post("/v2/models/fashion/infer", "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,784],\"datatype\":\"FP32\",\"data\":"
                + zeros(784) + "}]}");
        HttpResponse<String> m = get("/metrics");
        assertEquals(200, m.statusCode());
        assertTrue(m.body().contains("edgeloop_requests_total"), m.body());
        assertTrue(m.body().contains("edgeloop_process_resident_bytes"), m.body());
    }

    @Test
    void aShadowCandidateSeesTheSameRequestsAndIsCompared() throws Exception {
        new OnnxFileInstaller(agent.store(), "fashion", "2").install(TestModelFiles.softmaxMlp(dir.resolve("v2")));
        assertEquals(200, post("/v2/agent/models/fashion/versions/2/shadow", "").statusCode());
        String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,784],\"datatype\":\"FP32\",\"data\":" + zeros(784) + "}]}";
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = post("/v2/models/fashion/infer", body);
            assertEquals("1", JSON.readTree(r.body()).get("model_version").asText(), "the active version answers");
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (agent.health().shadow().compared() < 20 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(agent.health().shadow().compared() >= 20);
        // The same model in both roles: they always agree.
        assertEquals(1.0, agent.health().shadow().agreement(), 1e-12);
        assertEquals(Map.of("fashion", "2"), agent.registry().shadowVersions());
        assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port()
                + "/v2/agent/models/fashion/shadow")).DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(Map.of(), agent.registry().shadowVersions());
    }

    @Test
    void everyErrorAnswersErrorAndCodeWithTheCodesStatus() throws Exception {
        String tooBig = "x".repeat(300_000);
        Map<HttpResponse<String>, Object[]> cases = new java.util.LinkedHashMap<>();
        cases.put(post("/v2/models/fashion/infer", "{"), new Object[]{400, "INFERENCE_INPUT_INVALID"});
        cases.put(post("/v2/models/fashion/infer", tooBig), new Object[]{413, "REQUEST_TOO_LARGE"});
        cases.put(post("/v2/models/unknown/infer", "{}"), new Object[]{404, "MODEL_NOT_FOUND"});
        cases.put(get("/v2/nothing/here"), new Object[]{404, "NOT_FOUND"});
        cases.put(post("/v2/health/live", "{}"), new Object[]{405, "METHOD_NOT_ALLOWED"});
        cases.put(post("/v2/models/fashion/feedback", "{\"id\":\"never-seen\",\"label\":1}"),
                new Object[]{404, "PREDICTION_NOT_FOUND"});
        cases.put(post("/v2/models/fashion/feedback", "[]"), new Object[]{400, "INVALID_ARGUMENT"});
        for (Map.Entry<HttpResponse<String>, Object[]> c : cases.entrySet()) {
            HttpResponse<String> r = c.getKey();
            assertEquals(c.getValue()[0], r.statusCode(), r.body());
            JsonNode body = JSON.readTree(r.body());
            assertEquals(c.getValue()[1], body.path("code").asText(), r.body());
            assertTrue(body.path("error").asText().length() > 10, r.body());
            assertEquals(2, body.size(), "only error and code: " + r.body());
        }
    }

    @Test
    void anUnknownPathAnswers404WhateverTheContentType() throws Exception {
        for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/json", "application/octet-stream")) {
            for (String path : List.of("/nothing", "/v2/nothing/here", "/v2/models/fashion/nothing")) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port()
                        + path)).header("content-type", type).POST(HttpRequest.BodyPublishers.ofString("{\"a\": %zz}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(404, r.statusCode(), type + " " + path + ": " + r.body());
                assertEquals("NOT_FOUND", JSON.readTree(r.body()).path("code").asText(), r.body());
            }
        }
    }

    @Test
    void aSecondAgentOnTheSamePortIsRefusedWithPortInUseNamingThePort() throws Exception {
        AgentOptions second = AgentOptions.DEFAULT.withDataDir(dir.resolve("data-second")).withProfile("generic-x86_64")
                .withHttp(http -> http.withHost("127.0.0.1").withPort(agent.port()));
        io.edgeloop.protocol.EdgeLoopException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.edgeloop.protocol.EdgeLoopException.class, () -> Agent.builder(second).installers(List.of()).start());
        assertEquals(io.edgeloop.protocol.ErrorCode.PORT_IN_USE, e.code(), e.describe());
        assertTrue(e.getMessage().contains("port " + agent.port()), e.getMessage());
        assertEquals(200, get("/v2/health/live").statusCode(), "the first agent keeps serving");
    }

    static String zeros(int n) {
        return "[" + "0,".repeat(n - 1) + "0]";
    }
}
