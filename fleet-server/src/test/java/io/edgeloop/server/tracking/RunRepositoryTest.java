package io.edgeloop.server.tracking;

import io.edgeloop.server.db.Database;
import io.edgeloop.server.tracking.EpochResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunRepositoryTest {

    @Test
    void storesListsAndComparesRuns() throws Exception {
        try (Database db = Database.inMemory("runs")) {
            RunRepository runs = new RunRepository(db);
            runs.create(RunRecord.started("a", "fashion-mnist:train", Map.of("model", "mlp", "epochs", 1), "v1"));
            assertEquals(RunRecord.RUNNING, runs.get("a").status());
            runs.finish(new RunRecord("a", RunRecord.SUCCEEDED, "fashion-mnist:train", "ab".repeat(32),
                    Map.of("model", "mlp", "epochs", 1), List.of(new EpochResult(1, 0.5, 0.4, 0.85, 2.0)),
                    Map.of("test_accuracy", 0.84), Map.of("model.onnx", "/x/model.onnx"), "v1", "2026-01-01T00:00:00Z",
                    3.5, null));
            runs.create(RunRecord.started("b", "fashion-mnist:train", Map.of("model", "mlp", "epochs", 5), "v1"));
            runs.finish(new RunRecord("b", RunRecord.SUCCEEDED, "fashion-mnist:train", "ab".repeat(32),
                    Map.of("model", "mlp", "epochs", 5), List.of(new EpochResult(1, 0.5, 0.4, Double.NaN, 2.0)),
                    Map.of("test_accuracy", 0.88), Map.of(), "v1", "2026-01-02T00:00:00Z", 9, null));

            RunRecord a = runs.get("a");
            assertEquals(List.of(new EpochResult(1, 0.5, 0.4, 0.85, 2.0)), a.epochs());
            assertEquals("/x/model.onnx", a.artifacts().get("model.onnx"));
            assertEquals(3.5, a.durationSeconds());
            assertTrue(Double.isNaN(runs.get("b").epochs().get(0).validationAccuracy()));
            assertEquals(List.of("b", "a"), runs.list().stream().map(RunRecord::id).toList());
            assertFalse(runs.find("zz").isPresent());

            RunComparison c = RunComparison.of(a, runs.get("b"));
            assertTrue(c.sameDataset());
            assertEquals(java.util.Set.of("epochs"), c.parameterChanges().keySet());
            assertEquals(0.04, c.metrics().get("test_accuracy")[2], 1e-9);
        }
    }
}
