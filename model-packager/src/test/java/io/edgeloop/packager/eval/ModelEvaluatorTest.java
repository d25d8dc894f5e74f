package io.edgeloop.packager.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.GraphBuilder;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelEvaluatorTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private final ModelEvaluator evaluator = new ModelEvaluator(EvaluatorOptions.DEFAULT.quick(), QUIET);

    /** out = x · W with W the 3×3 identity: the predicted class is the largest feature. */
    private static OnnxModel identityClassifier() {
        GraphBuilder g = new GraphBuilder("id", 13);
        String w = g.weight("w", new float[]{1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3);
        g.output(g.matMul(g.input("x", -1, 3), w), "scores", -1, 3);
        return g.toModel();
    }

    @Test
    void classificationFiguresMatchAHandCount() throws Exception {
        // truth 0 0 0 1 1 2 ; argmax 0 0 1 1 2 2 (as in ClassificationMetricsTest)
        float[] x = {
                9, 0, 0,   9, 1, 0,   0, 9, 0,
                0, 9, 0,   0, 0, 9,   1, 0, 9};
        Dataset data = new Dataset("toy", x, new long[]{3}, new float[]{0, 0, 0, 1, 1, 2}, List.of("a", "b", "c"), List.of());
        EvaluationReport r = evaluator.evaluate(identityClassifier(), "id.onnx", null, data);
        assertEquals(6, r.samples());
        assertEquals(4.0 / 6, r.accuracy(), 1e-12);
        assertEquals((1.0 + 0.5 + 0.5) / 3, r.precisionMacro(), 1e-12);
        assertEquals((2.0 / 3 + 0.5 + 1.0) / 3, r.recallMacro(), 1e-12);
        assertArrayEquals(new long[]{2, 1, 0}, r.confusionMatrix()[0]);
        assertEquals(3, r.perClass().get(0).support());
        assertEquals("c", r.perClass().get(2).name());
        assertTrue(r.latencyUsP50() > 0 && r.latencyUsP99() >= r.latencyUsP50());
        assertTrue(r.throughputPerS() > 0);
        assertNull(r.mse());

        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(r));
        for (String key : List.of("accuracy", "precision_macro", "recall_macro", "f1_macro", "confusion_matrix",
                "samples", "latency_us_p50", "latency_us_p99", "throughput_per_s", "per_class", "model_sha256")) {
            assertTrue(json.has(key), key + " missing in " + json);
        }
        assertFalse(json.has("mse"));
        assertEquals(64, json.get("model_sha256").asText().length());
    }

    @Test
    void regressionDatasetGetsMseMaeR2() throws Exception {
        // y_hat = 2·x1 − x2 + 0.5 ; truth differs by +1 on the last sample only.
        GraphBuilder g = new GraphBuilder("lin", 13);
        String y = g.gemm(g.input("x", -1, 2), g.weight("w", new float[]{2, -1}, 1, 2), g.weight("b", new float[]{0.5f}, 1), true);
        g.output(y, "y", -1, 1);
        float[] x = {1, 0, 0, 1, 2, 2, 3, 1};
        float[] truth = {2.5f, -0.5f, 2.5f, 6.5f};   // predictions 2.5, -0.5, 2.5, 5.5
        Dataset data = new Dataset("csv:toy", x, new long[]{2}, truth, List.of(), List.of("x1", "x2"));
        EvaluationReport r = evaluator.evaluate(g.toModel(), "lin.onnx", null, data);
        assertEquals("regression", r.task());
        assertEquals(0.25, r.mse(), 1e-6);
        assertEquals(0.25, r.mae(), 1e-6);
        // mean 2.75; total SS = 0.0625 + 10.5625 + 0.0625 + 14.0625 = 24.75
        assertEquals(1 - 1 / 24.75, r.r2(), 1e-6);
        assertNull(r.accuracy());
        assertNull(r.perClass());
    }

    @Test
    void outputWidthNotMatchingTheClassesIsNamed() {
        Dataset data = new Dataset("toy", new float[]{1, 2, 3}, new long[]{3}, new float[]{0}, List.of("a", "b"), List.of());
        EdgeLoopException e = assertThrows(EdgeLoopException.class,
                () -> evaluator.evaluate(identityClassifier(), "id.onnx", null, data));
        assertEquals(ErrorCode.INFERENCE_INPUT_INVALID, e.code());
        assertTrue(e.getMessage().contains("3 scores") && e.getMessage().contains("2 classes"), e.getMessage());
    }

    @Test
    void samplesThatDoNotFitTheInputAreRefused() {
        Dataset data = new Dataset("toy", new float[]{1, 2, 3, 4}, new long[]{4}, new float[]{0}, List.of("a", "b", "c"), List.of());
        EdgeLoopException e = assertThrows(EdgeLoopException.class,
                () -> evaluator.evaluate(identityClassifier(), "id.onnx", null, data));
        assertEquals(ErrorCode.INFERENCE_INPUT_INVALID, e.code());
    }
}
