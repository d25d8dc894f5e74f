package io.edgeloop.packager.quantize;

import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.RunnerOptions;
import io.edgeloop.profiles.probe.LocalCpu;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantizationPlannerTest {

    @Test
    void cnnPlanMeasuresEveryCandidateAndNeverChoosesASlowerOne() throws Exception {
        OnnxModel cnn = TestModels.cnn(5);
        Dataset calibration = TestImages.train().select(QuantizersTest.range(40_000, 40_256), "cal");
        Dataset validation = TestImages.test().head(500);
        QuantizationPlanner planner = new QuantizationPlanner(PlannerOptions.DEFAULT.quick(), PlanSelector.measureAll(),
                new PlanApplier(LocalCpu.get().features().needsReducedInt8Range()), System.err);
        QuantizationPlanner.Result result = planner.plan("cnn", cnn, calibration, validation);
        QuantizationReport report = result.report();

        assertEquals(List.of("qdq-all", "qdq-conv", "qdq-dense", "qdq-dense-per-tensor", "dynamic-dense"),
                report.candidates().stream().map(CandidateResult::plan).toList());
        assertEquals(4, report.nodePlan().size(), report.nodePlan().toString());
        assertEquals(2, report.nodePlan().keySet().stream().filter(k -> k.startsWith("Conv")).count());
        for (CandidateResult c : report.candidates()) {
            assertTrue(c.throughputPerS() > 0 && c.latencyP50Us() > 0, c.toString());
            assertTrue(c.sizeRatio() < 1, c.toString());
            assertEquals(c.accepted(), c.verdict().startsWith("accepted"), c.verdict());
        }
        if (report.quantized()) {
            CandidateResult chosen = report.chosenResult();
            assertTrue(chosen.accepted());
            assertTrue(chosen.speedup() >= PlannerOptions.DEFAULT_MIN_SPEEDUP, chosen.toString());
            assertTrue(report.nodePlan().containsValue("int8"));
            assertTrue(result.model().sizeBytes() < cnn.sizeBytes());
        } else {
            assertSame(cnn, result.model());
            assertFalse(report.nodePlan().containsValue("int8"));
        }
        try (OrtRunner r = new OrtRunner(result.model(), RunnerOptions.DEFAULT)) {
            assertEquals(10, r.run(validation.head(2).features(), new long[]{2, 1, 28, 28})[0].length);
        }
    }

    @Test
    void recordedPlanIsTheOnlyCandidate() throws Exception {
        OnnxModel mlp = TestModels.mlp(6);
        List<QuantizationPlan> plans = PlanSelector.recorded(Set.of("Gemm"), true).candidates(mlp);
        assertEquals(1, plans.size());
        assertEquals(Set.of("Gemm"), plans.get(0).opTypes());
    }

    @Test
    void regressionDataIsRefused() throws Exception {
        OnnxModel mlp = TestModels.mlp(6);
        Dataset reg = new Dataset("reg", new float[784], new long[]{784}, new float[]{1.5f}, List.of(), List.of());
        QuantizationPlanner planner = new QuantizationPlanner(PlannerOptions.DEFAULT.quick(), PlanSelector.measureAll(),
                new PlanApplier(false), System.err);
        EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> planner.plan("mlp", mlp, reg, reg));
        assertEquals(ErrorCode.QUANTIZATION_FAILED, e.code());
    }
}
