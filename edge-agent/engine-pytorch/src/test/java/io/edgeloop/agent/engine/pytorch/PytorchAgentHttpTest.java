package io.edgeloop.agent.engine.pytorch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.agent.Agent;
import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.packageformat.Lineage;
import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.PackageWriter;
import io.edgeloop.packageformat.TensorSpec;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packageformat.sign.ManifestSigner;
import io.edgeloop.packager.pkg.TorchScriptPackager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: a TorchScript model packed and signed by the packager, installed and served by an
 * in-process agent over KServe v2 HTTP, answers what torch computed.
 */
class PytorchAgentHttpTest {
    @TempDir
    static Path dir;
    static Agent agent;
    static TorchScriptFixtures.Expected expected;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Path fixtures = TorchScriptFixtures.generate(java.nio.file.Files.createDirectories(dir.resolve("fixtures")));
        expected = TorchScriptFixtures.expected(fixtures);
        KeyPairFiles.Paths keys = KeyPairFiles.generate(dir, "publisher");
        Path pkg = dir.resolve("tiny-1.0.0.elpkg");
        Manifest manifest = new TorchScriptPackager(new PackageWriter()).build(new TorchScriptPackager.Request("tiny", "1.0.0",
                fixtures.resolve("classifier.pt"), List.of(new TensorSpec("features", "FP32", List.of(-1L, 6L))),
                List.of(new TensorSpec("probs", "FP32", List.of(-1L, 3L))), List.of("a", "b", "c"),
                new Lineage(null, null, null, "engine-pytorch tests")), new ManifestSigner(KeyPairFiles.loadPair(keys.privateKey())), pkg);
        assertEquals("torchscript", manifest.framework());
        AgentOptions options = AgentOptions.DEFAULT.withDataDir(dir.resolve("data")).withPublicKey(keys.publicKey())
                .withProfile("generic-x86_64").withHttp(http -> http.withHost("127.0.0.1").withPort(0));
        agent = Agent.builder(options).install(pkg).start();
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void metadataShowsTheTensorsTheManifestDeclares() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/v2/models/tiny")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode meta = JSON.readTree(r.body());
        assertEquals("features", meta.get("inputs").get(0).get("name").asText());
        assertEquals("FP32", meta.get("inputs").get(0).get("datatype").asText());
        assertEquals(6, meta.get("inputs").get(0).get("shape").get(1).asInt());
        assertEquals("probs", meta.get("outputs").get(0).get("name").asText());
    }

    @Test
    void inferOverHttpAnswersWhatTorchComputed() throws Exception {
        StringBuilder data = new StringBuilder();
        for (float v : expected.inputs()) {
            data.append(data.isEmpty() ? "" : ",").append(v);
        }
        HttpResponse<String> r = post("/v2/models/tiny/infer", "{\"id\":\"t1\",\"inputs\":[{\"name\":\"features\",\"shape\":"
                + Arrays.toString(expected.inputShape()) + ",\"datatype\":\"FP32\",\"data\":[" + data + "]}]}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode out = JSON.readTree(r.body());
        assertEquals("1.0.0", out.get("model_version").asText());
        JsonNode probs = out.get("outputs").get(0);
        assertEquals("probs", probs.get("name").asText());
        float[] got = new float[probs.get("data").size()];
        for (int i = 0; i < got.length; i++) {
            got[i] = probs.get("data").get(i).floatValue();
        }
        PytorchEngineTest.assertClose(expected.outputs(), got);
    }

    @Test
    void aWrongTypeIsA400NamingTheInput() throws Exception {
        HttpResponse<String> r = post("/v2/models/tiny/infer", "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,6],"
                + "\"datatype\":\"INT64\",\"data\":[1,2,3,4,5,6]}]}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(JSON.readTree(r.body()).get("error").asText().contains("features"), r.body());
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + agent.port() + path);
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }
}
