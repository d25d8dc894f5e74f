package io.edgeloop.it;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.packager.onnx.GraphBuilder;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.pkg.Lineage;
import io.edgeloop.packager.pkg.PackageBuilder;
import io.edgeloop.packager.pkg.PackageWriter;
import io.edgeloop.packager.pkg.Preprocessing;
import io.edgeloop.packager.pkg.VariantConstraints;
import io.edgeloop.packager.sign.KeyPairFiles;
import io.edgeloop.packager.sign.ManifestSigner;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Models and packages for the agent's cross-process tests and benchmark: a Fashion-MNIST MLP and
 * CNN built with the packager's GraphBuilder (seeded weights), signed into packages by the real
 * packager, and the Fashion-MNIST test set (synthetic images when the dataset is not installed).
 */
public final class AgentFixtures {
    public static final int PIXELS = 784;

    private AgentFixtures() {
    }

    /** input [batch,784] → 128 ReLU → 10 logits. */
    public static OnnxModel mlp(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        GraphBuilder g = new GraphBuilder("mlp", 13);
        String x = g.input("input", -1, PIXELS);
        String h = g.relu(g.gemm(x, g.weight("w1", random(r, 128 * PIXELS, 0.05), 128, PIXELS),
                g.weight("b1", random(r, 128, 0.01), 128), true));
        String logits = g.gemm(h, g.weight("w2", random(r, 10 * 128, 0.15), 10, 128), g.weight("b2", new float[10], 10), true);
        g.output(logits, "logits", -1, 10);
        return g.toModel();
    }

    /** input [batch,1,28,28] → conv 8 → pool → conv 16 → pool → dense 10 logits. */
    public static OnnxModel cnn(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        GraphBuilder g = new GraphBuilder("cnn", 13);
        String x = g.input("input", -1, 1, 28, 28);
        String a = g.maxPool(g.relu(g.conv(x, g.weight("c1w", random(r, 8 * 9, 0.3), 8, 1, 3, 3),
                g.weight("c1b", new float[8], 8), 3, 1, 1)), 2, 2);
        String b = g.maxPool(g.relu(g.conv(a, g.weight("c2w", random(r, 16 * 8 * 9, 0.1), 16, 8, 3, 3),
                g.weight("c2b", new float[16], 16), 3, 1, 1)), 2, 2);
        String logits = g.gemm(g.flatten(b, 1), g.weight("fw", random(r, 10 * 784, 0.05), 10, 784),
                g.weight("fb", new float[10], 10), true);
        g.output(logits, "logits", -1, 10);
        return g.toModel();
    }

    private static float[] random(SplittableRandom r, int n, double scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return out;
    }

    /** The Fashion-MNIST test set, or seeded synthetic images of the same shape when it is absent. */
    public static Dataset fashionTest() throws Exception {
        DatasetLoader loader = DatasetLoader.fromEnvironment();
        if (loader.fashionMnistAvailable()) {
            return loader.fashionMnist("test");
        }
        int n = 2000;
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[n * PIXELS];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10;
            for (int k = 0; k < PIXELS; k++) {
                x[i * PIXELS + k] = (float) (r.nextDouble() * (0.2 + 0.06 * (i % 10)));
            }
        }
        return new Dataset("synthetic-fashion", x, new long[]{1, 28, 28}, y, DatasetLoader.FASHION_MNIST_CLASSES, List.of());
    }

    /** A publisher key pair in {@code dir}; returns the file paths. */
    public static KeyPairFiles.Paths keys(Path dir) throws Exception {
        return KeyPairFiles.generate(Files.createDirectories(dir), "publisher");
    }

    /** Signs {@code model} into {@code dir/name-version.elpkg} with the packager (fp32 variant, baseline from 500 test images). */
    public static Path signedPackage(Path dir, OnnxModel model, String name, String version, KeyPairFiles.Paths keys)
            throws Exception {
        Path out = Files.createDirectories(dir).resolve(name + "-" + version + ".elpkg");
        PackageBuilder.Request request = new PackageBuilder.Request(name, version,
                List.of(new PackageBuilder.VariantSource("fp32", "fp32", model, VariantConstraints.ANY)),
                fashionTest().head(500), Preprocessing.IMAGE_UNIT_SCALE, new Lineage(null, null, null, "edgeloop ITs"));
        new PackageBuilder(new PackageBuilder.Options(0.01, 100, 5, 1), new PackageWriter(),
                new PrintStream(OutputStream.nullOutputStream()))
                .build(request, new ManifestSigner(KeyPairFiles.loadPair(keys.privateKey())), out);
        return out;
    }
}
