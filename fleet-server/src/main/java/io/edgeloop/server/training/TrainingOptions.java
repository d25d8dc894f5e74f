package io.edgeloop.server.training;

import java.util.List;
import java.util.Locale;

/**
 * Everything that decides how a network is trained, validated once here.
 *
 * @param architecture       network family
 * @param hiddenLayers       widths of the MLP's hidden layers
 * @param optimizer          {@code adam} or {@code sgd}
 * @param learningRate       step size (the starting one under a cosine schedule)
 * @param schedule           {@code cosine} (decays the rate to zero over all epochs' steps) or {@code fixed}
 * @param batchSize          samples per step
 * @param epochs             maximum passes over the training split
 * @param seed               seeds the split, the shuffling and the weight initialisation
 * @param threads            PyTorch intra-op threads (the first training in a JVM fixes it)
 * @param patience           epochs without a better validation loss before stopping early; 0 = never
 * @param validationFraction share of the training data held out for validation
 * @param device             {@code auto} (GPU when the host has one), {@code cpu} or {@code gpu}
 */
public record TrainingOptions(ModelArchitecture architecture, List<Integer> hiddenLayers, String optimizer,
                              double learningRate, String schedule, int batchSize, int epochs, long seed, int threads,
                              int patience, double validationFraction, String device) {
    public static final List<Integer> DEFAULT_HIDDEN_LAYERS = List.of(256, 128);
    public static final String DEFAULT_OPTIMIZER = "adam";
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    public static final String DEFAULT_SCHEDULE = "cosine";
    public static final int DEFAULT_BATCH_SIZE = 128;
    public static final int DEFAULT_EPOCHS = 5;
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_THREADS = 2;
    public static final int DEFAULT_PATIENCE = 2;
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;
    public static final String DEFAULT_DEVICE = "auto";

    public TrainingOptions {
        hiddenLayers = List.copyOf(hiddenLayers);
        optimizer = optimizer.toLowerCase(Locale.ROOT);
        schedule = schedule.toLowerCase(Locale.ROOT);
        device = device.toLowerCase(Locale.ROOT);
        require(architecture != null, "a model architecture is required");
        require(hiddenLayers.stream().allMatch(w -> w > 0), "hidden layer widths must be positive: " + hiddenLayers);
        require(optimizer.equals("adam") || optimizer.equals("sgd"), "optimizer must be adam or sgd, not " + optimizer);
        require(learningRate > 0 && learningRate < 10, "learning rate must be in (0, 10): " + learningRate);
        require(schedule.equals("cosine") || schedule.equals("fixed"),
                "learning rate schedule must be cosine or fixed, not " + schedule);
        require(batchSize > 0, "batch size must be positive: " + batchSize);
        require(epochs > 0, "epochs must be positive: " + epochs);
        require(threads > 0, "threads must be positive: " + threads);
        require(patience >= 0, "patience must be 0 or more: " + patience);
        require(validationFraction > 0 && validationFraction < 0.5,
                "validation fraction must be in (0, 0.5): " + validationFraction);
        require(List.of("auto", "cpu", "gpu").contains(device), "device must be auto, cpu or gpu, not " + device);
    }

    public static TrainingOptions defaults(ModelArchitecture architecture) {
        return new TrainingOptions(architecture, DEFAULT_HIDDEN_LAYERS, DEFAULT_OPTIMIZER, DEFAULT_LEARNING_RATE,
                DEFAULT_SCHEDULE, DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS, DEFAULT_SEED, DEFAULT_THREADS, DEFAULT_PATIENCE,
                DEFAULT_VALIDATION_FRACTION, DEFAULT_DEVICE);
    }

    public TrainingOptions withEpochs(int newEpochs) {
        return new TrainingOptions(architecture, hiddenLayers, optimizer, learningRate, schedule, batchSize, newEpochs, seed,
                threads, patience, validationFraction, device);
    }

    public TrainingOptions withSchedule(String newSchedule) {
        return new TrainingOptions(architecture, hiddenLayers, optimizer, learningRate, newSchedule, batchSize, epochs, seed,
                threads, patience, validationFraction, device);
    }

    public TrainingOptions withSeed(long newSeed) {
        return new TrainingOptions(architecture, hiddenLayers, optimizer, learningRate, schedule, batchSize, epochs, newSeed,
                threads, patience, validationFraction, device);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
