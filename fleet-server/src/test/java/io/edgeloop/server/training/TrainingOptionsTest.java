package io.edgeloop.server.training;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TrainingOptionsTest {

    @Test
    void defaultsDecayTheLearningRateOverTheRun() {
        TrainingOptions options = TrainingOptions.defaults(ModelArchitecture.CNN);
        assertEquals("cosine", options.schedule());
        assertEquals(1e-3, options.learningRate());
        assertEquals(128, options.batchSize());
    }

    @Test
    void refusesAnUnknownScheduleByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainingOptions(
                ModelArchitecture.MLP, List.of(8), "adam", 1e-3, "step", 32, 1, 1, 1, 0, 0.1, "cpu"));
        assertEquals("learning rate schedule must be cosine or fixed, not step", e.getMessage());
    }

    @Test
    void schedulesAreCaseInsensitive() {
        TrainingOptions options = new TrainingOptions(ModelArchitecture.MLP, List.of(8), "ADAM", 1e-3, "Fixed", 32, 1, 1,
                1, 0, 0.1, "CPU");
        assertEquals("fixed", options.schedule());
        assertEquals("adam", options.optimizer());
    }
}
