package io.edgeloop.server.demo;

import io.edgeloop.packageformat.Lineage;
import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.VerifiedPackage;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packageformat.sign.ManifestSigner;
import io.edgeloop.packager.cli.EvaluationTable;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.packager.onnx.GraphBuilder;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.pkg.Int8Quantizer;
import io.edgeloop.server.publish.ModelPublisher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

/**
 * Demo stage "quantize, evaluate, sign a package": takes the trained ONNX model (or, without a
 * training stage, fits a class-means linear classifier on Fashion-MNIST itself), makes its int8
 * variant, measures both on the test set, signs an {@code .elpkg} with a demo key (all through the
 * server's {@link ModelPublisher}), verifies it as
 * a device would, and prints the evaluation report. Later stages find the package and the public
 * key under {@link #PACKAGE} and {@link #PUBLIC_KEY}.
 */
public final class PackageStage implements DemoStage {
    public static final DemoContext.Key<Path> PACKAGE = new DemoContext.Key<>("package", Path.class);
    public static final DemoContext.Key<Path> PUBLIC_KEY = new DemoContext.Key<>("package public key", Path.class);
    public static final String MODEL_NAME = "fashion-classifier";
    public static final String VERSION = "1.0.0";
    static final int CLASS_MEANS_TRAINING_SAMPLES = 10_000;

    private final DemoContext.Key<Path> trainedModel;
    private final Int8Quantizer planned;
    private final Int8Quantizer fallback;
    private final DatasetLoader datasets;

    /**
     * @param trainedModel the training stage's model key, or null to fit a class-means model here
     * @param planned      makes the int8 variant where it pays on this host (the quantization planner)
     * @param fallback     makes it when the planner keeps fp32 here (int8 device classes may still gain)
     */
    public PackageStage(DemoContext.Key<Path> trainedModel, Int8Quantizer planned, Int8Quantizer fallback,
                        DatasetLoader datasets) {
        this.trainedModel = trainedModel;
        this.planned = planned;
        this.fallback = fallback;
        this.datasets = datasets;
    }

    @Override
    public String title() {
        return "quantize int8, evaluate, sign an .elpkg package";
    }

    @Override
    public void run(DemoContext context) throws Exception {
        Path dir = Files.createDirectories(context.workDir().resolve("package"));
        OnnxModel fp32 = trainedModel != null ? OnnxModel.load(context.get(trainedModel)) : classMeansModel(dir, context);
        Path keyDir = context.workDir().resolve("keys");
        KeyPairFiles.Paths keyFiles = KeyPairFiles.pathsFor(keyDir, "demo");
        if (!Files.exists(keyFiles.privateKey())) {
            KeyPairFiles.generate(keyDir, "demo");
        }
        KeyPair keys = KeyPairFiles.loadPair(keyFiles.privateKey());

        Dataset calibration = datasets.load("fashion-mnist:train");
        Dataset reference = datasets.load("fashion-mnist:test");
        Path out = dir.resolve(MODEL_NAME + "-" + VERSION + ".elpkg");
        new ModelPublisher(planned, fallback, context.out()).publish(new ModelPublisher.Request(MODEL_NAME, VERSION, fp32,
                calibration, reference, new Lineage(null, null, null, "edgeloop demo")), new ManifestSigner(keys), out);

        VerifiedPackage verified = new PackageVerifier(PackageVerifier.Options.DEFAULTS)
                .verify(out, KeyPairFiles.loadPublic(keyFiles.publicKey()));
        Manifest m = verified.manifest();
        context.out().printf("      verified %s: signature by key %s, %d file(s) match their sha256%n",
                out.getFileName(), verified.keyId(), m.files().size());
        for (String line : EvaluationTable.render(m).split("\n")) {
            context.out().println("      " + line);
        }
        context.put(PACKAGE, out);
        context.put(PUBLIC_KEY, keyFiles.publicKey());
    }

    /**
     * Subtracts the average over classes from every class's weights and bias. Each sample's
     * scores all move by the same amount, so the ranking is unchanged, but the scores now span
     * only the differences between classes instead of also each image's brightness: int8
     * quantization of the output then keeps the margins (agreement with fp32 went from 70% to
     * above 95% on this model).
     */
    private static void centerOverClasses(float[] weights, float[] bias, int classes, int width) {
        for (int k = 0; k < width; k++) {
            double mean = 0;
            for (int c = 0; c < classes; c++) {
                mean += weights[c * width + k];
            }
            mean /= classes;
            for (int c = 0; c < classes; c++) {
                weights[c * width + k] -= (float) mean;
            }
        }
        double meanBias = 0;
        for (float b : bias) {
            meanBias += b;
        }
        meanBias /= classes;
        for (int c = 0; c < classes; c++) {
            bias[c] -= (float) meanBias;
        }
    }

    /**
     * A nearest-class-mean classifier as one Gemm: score_c(x) = x·μc − ½|μc|², which ranks classes
     * by distance to their mean image. Stands in for the trained model when no training stage ran.
     */
    private OnnxModel classMeansModel(Path dir, DemoContext context) throws Exception {
        Dataset train = datasets.load("fashion-mnist:train").head(CLASS_MEANS_TRAINING_SAMPLES);
        int width = train.width();
        int classes = train.classNames().size();
        float[] means = new float[classes * width];
        int[] counts = new int[classes];
        for (int i = 0; i < train.size(); i++) {
            int c = train.label(i);
            counts[c]++;
            for (int k = 0; k < width; k++) {
                means[c * width + k] += train.features()[i * width + k];
            }
        }
        float[] bias = new float[classes];
        for (int c = 0; c < classes; c++) {
            double norm = 0;
            for (int k = 0; k < width; k++) {
                means[c * width + k] /= Math.max(1, counts[c]);
                norm += means[c * width + k] * means[c * width + k];
            }
            bias[c] = (float) (-0.5 * norm);
        }
        centerOverClasses(means, bias, classes, width);
        GraphBuilder g = new GraphBuilder("class-means", 13);
        String x = g.flatten(g.input("input", -1, 1, 28, 28), 1);
        g.output(g.gemm(x, g.weight("means", means, classes, width), g.weight("bias", bias, classes), true),
                "logits", -1, classes);
        OnnxModel model = g.toModel();
        Path file = dir.resolve("class-means.onnx");
        try {
            model.save(file);
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        context.out().printf("      no trained model in this demo run: fitted a class-means classifier on %d images (%s)%n",
                train.size(), file.getFileName());
        return model;
    }
}
