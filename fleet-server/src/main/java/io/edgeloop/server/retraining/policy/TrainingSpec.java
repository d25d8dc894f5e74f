package io.edgeloop.server.retraining.policy;

import java.util.List;

/** The candidate's training settings (the same names as {@code POST /api/v1/training-runs}). */
public record TrainingSpec(String model, int epochs, List<Integer> hiddenLayers, double learningRate, int batchSize,
                           long seed) {
    public static final TrainingSpec DEFAULTS = new TrainingSpec("mlp", 2, List.of(256, 128), 1e-3, 128, 42);

    public TrainingSpec {
        PolicyChecks.text("training.model", model);
        PolicyChecks.atLeast("training.epochs", epochs, 1);
        hiddenLayers = List.copyOf(hiddenLayers);
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("training.learningRate must be positive, was " + learningRate);
        }
        PolicyChecks.atLeast("training.batchSize", batchSize, 1);
    }
}
