package io.edgeloop.server.training;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.packager.data.DatasetSplits;
import io.edgeloop.protocol.EdgeLoopException;
import org.junit.jupiter.api.Assumptions;

import java.util.List;
import java.util.Random;

/** Shared small datasets for training tests: Fashion-MNIST subsets and a synthetic tabular set. */
public final class TrainingFixtures {
    private static Dataset train;
    private static Dataset test;

    private TrainingFixtures() {
    }

    /** Skips the calling test when Debian's dataset-fashion-mnist (or $EDGELOOP_DATA) is missing. */
    public static synchronized Dataset fashionTrain() throws EdgeLoopException {
        DatasetLoader loader = DatasetLoader.fromEnvironment();
        Assumptions.assumeTrue(loader.fashionMnistAvailable(), "Fashion-MNIST is not installed (dataset-fashion-mnist)");
        if (train == null) {
            train = loader.load("fashion-mnist:train");
            test = loader.load("fashion-mnist:test");
        }
        return train;
    }

    public static synchronized Dataset fashionTest() throws EdgeLoopException {
        fashionTrain();
        return test;
    }

    /** The first {@code trainRows} training rows split 90/10, and the first {@code testRows} test rows. */
    public static DatasetSplits.Split fashionSubset(int trainRows, int testRows, long seed) throws EdgeLoopException {
        DatasetSplits.Split s = DatasetSplits.stratified(fashionTrain().head(trainRows), 0.1, 0, seed);
        return new DatasetSplits.Split(s.train(), s.validation(), fashionTest().head(testRows));
    }

    /**
     * Three classes in four raw features with large, unequal offsets and scales, so a model
     * only learns well on standardised inputs and any skew between training and serving shows.
     */
    public static Dataset tabular(int rows, long seed) {
        Random random = new Random(seed);
        float[] x = new float[rows * 4];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            int c = r % 3;
            y[r] = c;
            x[r * 4] = (float) (1000 + 50 * c + 20 * random.nextGaussian());
            x[r * 4 + 1] = (float) (0.01 * c + 0.004 * random.nextGaussian());
            x[r * 4 + 2] = (float) (-300 + 10 * random.nextGaussian());
            x[r * 4 + 3] = (float) (5 * (c == 2 ? 1 : 0) + random.nextGaussian());
        }
        return new Dataset("synthetic", x, new long[] {4}, y, List.of("a", "b", "c"), List.of("f0", "f1", "f2", "f3"));
    }

    public static TrainingOptions quick(ModelArchitecture architecture, int epochs) {
        // A fixed rate: a cosine schedule over a run of a few dozen steps spends half of them barely moving.
        return TrainingOptions.defaults(architecture).withEpochs(epochs).withSchedule("fixed");
    }
}
