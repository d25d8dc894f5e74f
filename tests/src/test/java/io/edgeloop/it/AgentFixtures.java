package io.edgeloop.it;

import io.edgeloop.bench.FashionFixtures;
import io.edgeloop.packager.onnx.GraphBuilder;
import io.edgeloop.packager.onnx.OnnxModel;

import java.util.SplittableRandom;

/**
 * Small Fashion-MNIST-shaped models for the agent's cross-process tests, built with the packager's
 * GraphBuilder (seeded weights); test images, keys and signed packages are {@link FashionFixtures}.
 */
public final class AgentFixtures {
    public static final int PIXELS = FashionFixtures.PIXELS;

    private AgentFixtures() {
    }

    /** input [batch,784] → 128 ReLU → 10 logits. */
    public static OnnxModel mlp(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        GraphBuilder g = new GraphBuilder("mlp", 13);
        String x = g.input("input", -1, PIXELS);
        String h = g.relu(g.gemm(x, g.weight("w1", FashionFixtures.uniform(r, 128 * PIXELS, 0.05), 128, PIXELS),
                g.weight("b1", FashionFixtures.uniform(r, 128, 0.01), 128), true));
        String logits = g.gemm(h, g.weight("w2", FashionFixtures.uniform(r, 10 * 128, 0.15), 10, 128), g.weight("b2", new float[10], 10), true);
        g.output(logits, "logits", -1, 10);
        return g.toModel();
    }

    /** input [batch,1,28,28] → conv 8 → pool → conv 16 → pool → dense 10 logits. */
    public static OnnxModel cnn(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        GraphBuilder g = new GraphBuilder("cnn", 13);
        String x = g.input("input", -1, 1, 28, 28);
        String a = g.maxPool(g.relu(g.conv(x, g.weight("c1w", FashionFixtures.uniform(r, 8 * 9, 0.3), 8, 1, 3, 3),
                g.weight("c1b", new float[8], 8), 3, 1, 1)), 2, 2);
        String b = g.maxPool(g.relu(g.conv(a, g.weight("c2w", FashionFixtures.uniform(r, 16 * 8 * 9, 0.1), 16, 8, 3, 3),
                g.weight("c2b", new float[16], 16), 3, 1, 1)), 2, 2);
        String logits = g.gemm(g.flatten(b, 1), g.weight("fw", FashionFixtures.uniform(r, 10 * 784, 0.05), 10, 784),
                g.weight("fb", new float[10], 10), true);
        g.output(logits, "logits", -1, 10);
        return g.toModel();
    }
}
