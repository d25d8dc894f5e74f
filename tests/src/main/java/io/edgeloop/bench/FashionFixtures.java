package io.edgeloop.bench;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packageformat.Lineage;
import io.edgeloop.packager.pkg.PackageBuilder;
import io.edgeloop.packageformat.PackageWriter;
import io.edgeloop.packageformat.Preprocessing;
import io.edgeloop.packageformat.VariantConstraints;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packageformat.sign.ManifestSigner;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the cross-process tests and the benchmarks both need: Fashion-MNIST test images (or a
 * seeded stand-in), seeded weights for models built in Java, and signed packages made by the
 * packager itself.
 */
public final class FashionFixtures {
    public static final int PIXELS = 784;

    private FashionFixtures() {
    }

    /** The Fashion-MNIST test set, or seeded synthetic images of the same shape when it is absent. */
    public static Dataset testSet() throws Exception {
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

    /** {@code n} weights drawn uniformly from [-scale, scale]. */
    public static float[] uniform(SplittableRandom r, int n, double scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return out;
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
                testSet().head(500), Preprocessing.IMAGE_UNIT_SCALE, new Lineage(null, null, null, "edgeloop tests"));
        new PackageBuilder(new PackageBuilder.Options(0.01, 100, 5, 1), new PackageWriter(),
                new PrintStream(OutputStream.nullOutputStream()))
                .build(request, new ManifestSigner(KeyPairFiles.loadPair(keys.privateKey())), out);
        return out;
    }
}
