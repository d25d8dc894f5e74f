package io.edgeloop.server.training;

import ai.djl.engine.Engine;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrossValidationTest {

    @Test
    void scoresEveryFoldOnItsHeldOutRows() throws Exception {
        TrainingOptions options = new TrainingOptions(ModelArchitecture.LOGREG, List.of(), "adam", 0.05, "fixed", 32, 5, 1, 2, 0,
                0.1, "cpu");
        Map<String, Object> result = new CrossValidation(options, TrainingPipelineTest.QUIET)
                .run(TrainingFixtures.tabular(300, 11), 3);
        @SuppressWarnings("unchecked")
        List<Double> scores = (List<Double>) result.get("scores");
        assertEquals(3, scores.size());
        assertTrue((double) result.get("mean") > 0.8, result.toString());
    }

    @Test
    void gpuTrainingRunsWhenTheHostHasAGpu() throws Exception {
        Engine engine = NetworkTrainer.engine(2);
        if (engine.getGpuCount() == 0) {
            EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> NetworkTrainer.device(engine, "gpu"));
            assertEquals(ErrorCode.ENGINE_UNAVAILABLE, e.code());
        }
        Assumptions.assumeTrue(engine.getGpuCount() > 0, "no GPU visible to PyTorch (CPU natives or no CUDA device)");
        TrainingOptions options = new TrainingOptions(ModelArchitecture.MLP, List.of(32), "adam", 0.01, "fixed", 32, 2, 1, 2, 0,
                0.1, "gpu");
        try (TrainedNetwork net = new NetworkTrainer(options, TrainingPipelineTest.QUIET)
                .train(TrainingFixtures.tabular(300, 1), TrainingFixtures.tabular(60, 2))) {
            assertEquals(2, net.epochs().size());
        }
    }
}
