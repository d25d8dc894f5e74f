package io.edgeloop.bench.fleet;

import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.FileEntry;
import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.PackageWriter;
import io.edgeloop.packageformat.ReferenceSet;
import io.edgeloop.packageformat.VerifiedPackage;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packageformat.sign.ManifestSigner;
import io.edgeloop.packager.onnx.GraphBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Signed packages of model {@code fashion} for the rollout ITs and RolloutBenchmark, all built by
 * the packager (so they carry its reference inputs and drift baseline): a quick MLP per version,
 * an MLP of a given size, and a candidate that answers like an MLP but costs many times the
 * compute (what a p95 gate must catch), and one whose reference answers are wrong (what REFERENCE
 * validation on the device must refuse).
 */
public final class RolloutPackages {
    public static final String MODEL = "fashion";
    static final int PIXELS = TestImages.PIXELS;

    private RolloutPackages() {
    }

    /** The fixture MLP (784-128-10) with weights of {@code seed}, as {@code fashion:version}. */
    public static Path mlp(Path dir, String version, long seed, KeyPairFiles.Paths keys) throws Exception {
        return TestPackages.signedPackage(dir.resolve(version), TestModels.randomMlp(seed), MODEL, version, keys);
    }

    /** An MLP 784-H-10 with H chosen so its weights take about {@code bytes} (the package about as much). */
    public static Path sized(Path dir, String version, long bytes, long seed, KeyPairFiles.Paths keys) throws Exception {
        int hidden = (int) Math.max(16, bytes / 4 / (PIXELS + 10));
        SplittableRandom r = new SplittableRandom(seed);
        GraphBuilder g = new GraphBuilder("sized-mlp", 13);
        String x = g.input("input", -1, PIXELS);
        String h = g.relu(g.gemm(x, g.weight("w1", TestModels.uniform(r, hidden * PIXELS, 0.05), hidden, PIXELS),
                g.weight("b1", new float[hidden], hidden), true));
        String logits = g.gemm(h, g.weight("w2", TestModels.uniform(r, 10 * hidden, 0.1), 10, hidden),
                g.weight("b2", new float[10], 10), true);
        g.output(logits, "logits", -1, 10);
        return TestPackages.signedPackage(dir.resolve(version), g.toModel(), MODEL, version, keys);
    }

    /**
     * A slow candidate: 784-256, then {@code extraLayers} times the same 256x256 matrix (one
     * initializer, so the package stays small), then 10 logits: about {@code extraLayers * 0.3}
     * times the fixture MLP's multiply-adds.
     */
    public static Path slow(Path dir, String version, int extraLayers, long seed, KeyPairFiles.Paths keys) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        int width = 256;
        GraphBuilder g = new GraphBuilder("slow-mlp", 13);
        String x = g.input("input", -1, PIXELS);
        String h = g.relu(g.gemm(x, g.weight("w1", TestModels.uniform(r, width * PIXELS, 0.05), width, PIXELS),
                g.weight("b1", new float[width], width), true));
        // Close to the identity, so activations neither vanish nor explode through the chain.
        float[] square = TestModels.uniform(r, width * width, 0.002);
        for (int i = 0; i < width; i++) {
            square[i * width + i] += 1f;
        }
        String w = g.weight("wr", square, width, width);
        for (int i = 0; i < extraLayers; i++) {
            h = g.relu(g.matMul(h, w));
        }
        String logits = g.gemm(h, g.weight("w2", TestModels.uniform(r, 10 * width, 0.1), 10, width),
                g.weight("b2", new float[10], 10), true);
        g.output(logits, "logits", -1, 10);
        return TestPackages.signedPackage(dir.resolve(version), g.toModel(), MODEL, version, keys);
    }

    /**
     * {@code source} with every expected reference answer moved to the next class, signed again:
     * it installs, but REFERENCE validation on a device agrees on none of its inputs.
     */
    public static Path withWrongReferenceAnswers(Path source, Path target, KeyPairFiles.Paths keys) throws Exception {
        KeyPair pair = KeyPairFiles.loadPair(keys.privateKey());
        VerifiedPackage pkg = new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(source,
                KeyPairFiles.loadPublic(keys.publicKey()));
        ReferenceSet set = pkg.referenceSet().orElseThrow();
        int[] wrong = new int[set.count()];
        for (int i = 0; i < wrong.length; i++) {
            wrong[i] = (set.expectedTop1(i) + 1) % set.classes();
        }
        byte[] bytes = ReferenceSet.of(set.sampleShape(), set.classes(), set.inputs(0, set.count()), wrong).toBytes();
        Path work = Files.createDirectories(target.resolveSibling(target.getFileName() + ".files"));
        Map<String, Path> files = new LinkedHashMap<>();
        List<FileEntry> entries = new ArrayList<>();
        for (FileEntry f : pkg.manifest().files()) {
            if (f.path().equals(ReferenceSet.ENTRY)) {
                files.put(f.path(), Files.write(work.resolve(ReferenceSet.ENTRY), bytes));
                entries.add(new FileEntry(f.path(), TestPackages.sha256(bytes), bytes.length));
            } else {
                files.put(f.path(), pkg.extractFile(f.path(), work));
                entries.add(f);
            }
        }
        Manifest m = pkg.manifest();
        Manifest changed = new Manifest(m.formatVersion(), m.name(), m.version(), m.createdAt(), m.framework(), entries,
                m.inputs(), m.outputs(), m.preprocessing(), m.labels(), m.variants(), m.metrics(), m.lineage(), m.baseline());
        return new PackageWriter().write(target, changed, files, new ManifestSigner(pair));
    }
}
