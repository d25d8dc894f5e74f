package io.edgeloop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.Lineage;
import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.PackageWriter;
import io.edgeloop.packageformat.Preprocessing;
import io.edgeloop.packageformat.VariantConstraints;
import io.edgeloop.packageformat.baseline.DriftBaseline;
import io.edgeloop.packageformat.baseline.InputSummary;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packageformat.sign.ManifestSigner;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.pkg.PackageBuilder;
import io.edgeloop.protocol.process.AgentCommandLine;
import io.edgeloop.protocol.process.AgentReadyLine;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Drift alarms and the label-free accuracy estimate measured end to end: a trained CNN packaged
 * with the packager (baseline and calibration from test images 0-4999), served by a real agent
 * process, and fed seeded shifted windows of test images 5000-9999 over the KServe v2 API. Each
 * window is closed with {@code GET /v2/models/{name}/drift?flush=true}. Beside the agent's own
 * verdict, the same run scores the Alibi-Detect recipe on the same windows: two-sample KS on the
 * same summary features with Bonferroni (p &lt; 0.05 / features) plus a chi-square test on the
 * predicted classes (p &lt; 0.05), p-values from commons-statistics-inference.
 *
 * <p>Run: {@code tests/bench DriftBenchmark --model DIR/model.onnx [--seed S] [--clean-windows
 * 300,300,200,100] [--shift-windows 40,40,40,20] [--feedback-windows 5] [--kinds a,b]} after
 * {@code ./edgeloop train --dataset fashion-mnist --model cnn --out DIR}. Figures are
 * deterministic for a seed and model.
 */
public final class DriftBenchmark {
    static final String MODEL_NAME = "fashion";
    static final int[] WINDOWS = {50, 100, 200, 500};
    static final int REFERENCE = 5000;
    static final int ROWS_PER_REQUEST = 50;
    static final double PEER_ALPHA = 0.05;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Hard classes for the class-mix shift: T-shirt/top, Pullover, Coat, Shirt. */
    private static final int[] HARD_CLASSES = {0, 2, 4, 6};

    /** A named shift: makes the window's images from the pool (and may choose which images). */
    record Kind(String name, BiFunction<float[], SplittableRandom, float[]> shift, boolean classMix) {
    }

    static List<Kind> kinds() {
        return List.of(
                new Kind("clean", (x, r) -> x, false),
                new Kind("brightness+0.2", (x, r) -> ImageShifts.brightness(x, 0.2), false),
                new Kind("contrast*0.5", (x, r) -> ImageShifts.contrast(x, 0.5), false),
                new Kind("rotation15", (x, r) -> ImageShifts.rotate(x, 15), false),
                new Kind("rotation30", (x, r) -> ImageShifts.rotate(x, 30), false),
                new Kind("noise0.1", (x, r) -> ImageShifts.noise(x, 0.1, r), false),
                new Kind("noise0.2", (x, r) -> ImageShifts.noise(x, 0.2, r), false),
                new Kind("blur1.0", (x, r) -> ImageShifts.blur(x, 1.0), false),
                new Kind("translate3", (x, r) -> ImageShifts.translate(x, 3, 0), false),
                new Kind("classmix", (x, r) -> x, true));
    }

    /** Per kind and window size, what the windows showed. */
    static final class Tally {
        int windows;
        int ours;
        int peer;
        int outOfRange;
        double trueAccuracy;
        double estimate;
        double estimateAbsError;
        double estimateAbsErrorInRange;
        int inRange;
        double confidenceShiftAbsError;
        int labelledWindows;
        double liveError;
        String example;
        double[] alternativeAbsError = new double[Study.NAMES.size()];
    }

    /**
     * Other label-free estimators, computed here from the served probabilities for comparison with
     * the agent's: DoC (reference accuracy + the change in mean confidence), AC-TS (mean
     * temperature-scaled confidence), DoC-TS, ATC-MC-TS (thresholded temperature-scaled confidence).
     */
    static final class Study {
        static final List<String> NAMES = List.of("DoC", "AC-TS", "DoC-TS", "ATC-MC-TS");
        private final double temperature;
        private final double accuracy;
        private final double meanConfidence;
        private final double meanScaled;
        private final double threshold;

        Study(DriftBaseline baseline, float[] probs, Dataset reference) {
            temperature = baseline.outputs().calibration().temperature();
            int n = reference.size();
            double[] scaled = new double[n];
            double conf = 0;
            int correct = 0;
            for (int i = 0; i < n; i++) {
                int top = argmax(probs, i * 10, 10);
                conf += probs[i * 10 + top];
                scaled[i] = scaledConfidence(probs, i * 10);
                correct += top == reference.label(i) ? 1 : 0;
            }
            accuracy = (double) correct / n;
            meanConfidence = conf / n;
            meanScaled = Arrays.stream(scaled).average().orElse(0);
            double[] sorted = scaled.clone();
            Arrays.sort(sorted);
            threshold = sorted[n - correct];
        }

        private double scaledConfidence(float[] probs, int from) {
            double max = Double.NEGATIVE_INFINITY;
            double[] z = new double[10];
            for (int k = 0; k < 10; k++) {
                z[k] = Math.log(Math.max(probs[from + k], 1e-30)) / temperature;
                max = Math.max(max, z[k]);
            }
            double sum = 0;
            for (int k = 0; k < 10; k++) {
                sum += Math.exp(z[k] - max);
            }
            return 1 / sum;
        }

        double[] estimates(float[] probs, int w) {
            double conf = 0;
            double scaled = 0;
            int above = 0;
            for (int i = 0; i < w; i++) {
                conf += probs[i * 10 + argmax(probs, i * 10, 10)];
                double c = scaledConfidence(probs, i * 10);
                scaled += c;
                above += c >= threshold ? 1 : 0;
            }
            return new double[]{accuracy + conf / w - meanConfidence, scaled / w, accuracy + scaled / w - meanScaled,
                    (double) above / w};
        }
    }

    public static void main(String[] args) throws Exception {
        Path modelFile = Path.of(arg(args, "--model", "edgeloop-data/cnn/model.onnx"));
        long seed = Long.parseLong(arg(args, "--seed", "1"));
        int[] cleanWindows = ints(arg(args, "--clean-windows", "300,300,200,100"));
        int[] shiftWindows = ints(arg(args, "--shift-windows", "40,40,40,20"));
        int feedbackWindows = Integer.parseInt(arg(args, "--feedback-windows", "5"));
        List<String> only = List.of(arg(args, "--kinds", "").split(","));
        if (!Files.isRegularFile(modelFile)) {
            System.err.println("DriftBenchmark: no model at " + modelFile + "; train one with ./edgeloop train --dataset"
                    + " fashion-mnist --model cnn --out DIR and pass --model DIR/model.onnx");
            System.exit(2);
        }
        Dataset test = TestImages.testSet();
        if (test.size() < 10_000) {
            System.err.println("DriftBenchmark needs the Fashion-MNIST test set (" + test.name() + " found)");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("drift-bench");
        KeyPairFiles.Paths keys = TestPackages.publisherKeys(work.resolve("keys"));
        Dataset reference = test.head(REFERENCE);
        Path pkg = work.resolve("fashion-1.0.0.elpkg");
        long t0 = System.nanoTime();
        Manifest manifest = new PackageBuilder(new PackageBuilder.Options(0.01, 100, 5, 1), new PackageWriter(),
                new PrintStream(OutputStream.nullOutputStream())).build(new PackageBuilder.Request(MODEL_NAME, "1.0.0",
                        List.of(new PackageBuilder.VariantSource("fp32", "fp32", OnnxModel.load(modelFile), VariantConstraints.ANY)),
                        reference, Preprocessing.IMAGE_UNIT_SCALE, new Lineage(null, null, null, "DriftBenchmark")),
                new ManifestSigner(KeyPairFiles.loadPair(keys.privateKey())), pkg);
        DriftBaseline baseline = manifest.baseline();
        System.out.printf(Locale.ROOT, "DriftBenchmark: model %s, packed in %.1f s on test images 0-%d (accuracy %.4f, "
                        + "temperature %.3f, ATC threshold %.4f); streams from test images %d-%d; seed %d%n", modelFile,
                (System.nanoTime() - t0) / 1e9, REFERENCE - 1, baseline.outputs().accuracy(),
                baseline.outputs().calibration().temperature(), baseline.outputs().calibration().threshold(), REFERENCE,
                test.size() - 1, seed);

        Peer peer = new Peer(reference, baseline);
        Process agent = null;
        try {
            Started started = startAgent(pkg, keys.publicKey(), work);
            agent = started.process();
            Client client = new Client(started.port());
            Study study = new Study(baseline, client.infer("reference", reference.features(), reference.size()),
                    reference);
            client.flush();
            Map<String, Tally[]> results = new LinkedHashMap<>();
            SplittableRandom random = new SplittableRandom(seed);
            for (Kind kind : kinds()) {
                if (!only.get(0).isEmpty() && !kind.name().equals("clean") && !only.contains(kind.name())) {
                    continue;
                }
                Tally[] row = new Tally[WINDOWS.length];
                for (int s = 0; s < WINDOWS.length; s++) {
                    int w = WINDOWS[s];
                    int n = kind.name().equals("clean") ? cleanWindows[s] : shiftWindows[s];
                    row[s] = run(client, peer, study, baseline, test, kind, w, n, w == 500 ? feedbackWindows : 0, random.split());
                }
                results.put(kind.name(), row);
                System.out.printf(Locale.ROOT, "  %s done (%.0f s)%n", kind.name(), (System.nanoTime() - t0) / 1e9);
            }
            print(results);
        } finally {
            if (agent != null) {
                agent.destroy();
                if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                    agent.destroyForcibly().waitFor();
                }
            }
        }
    }

    private static Tally run(Client client, Peer peer, Study study, DriftBaseline baseline, Dataset test, Kind kind, int w, int n,
                             int feedbackWindows, SplittableRandom random) throws Exception {
        Tally t = new Tally();
        int pool = test.size() - REFERENCE;
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = REFERENCE; i < test.size(); i++) {
            byClass.get(test.label(i)).add(i);
        }
        for (int win = 0; win < n; win++) {
            int[] rows = kind.classMix() ? classMix(byClass, w, random) : distinct(REFERENCE, pool, w, random);
            float[] images = new float[w * 784];
            int[] labels = new int[w];
            for (int i = 0; i < w; i++) {
                float[] x = Arrays.copyOfRange(test.features(), rows[i] * 784, (rows[i] + 1) * 784);
                System.arraycopy(kind.shift().apply(x, random), 0, images, i * 784, 784);
                labels[i] = test.label(rows[i]);
            }
            String prefix = kind.name() + "-" + w + "-" + win;
            float[] probs = client.infer(prefix, images, w);
            int correct = 0;
            double confidence = 0;
            int[] predicted = new int[w];
            for (int i = 0; i < w; i++) {
                predicted[i] = argmax(probs, i * 10, 10);
                confidence += probs[i * 10 + predicted[i]];
                if (predicted[i] == labels[i]) {
                    correct++;
                }
            }
            boolean labelled = win < feedbackWindows;
            if (labelled) {
                for (int b = 0; b < w; b += ROWS_PER_REQUEST) {
                    for (int r = 0; r < Math.min(ROWS_PER_REQUEST, w - b); r++) {
                        client.feedback(prefix + "-" + b + "#" + r, labels[b + r]);
                    }
                }
            }
            JsonNode report = client.flush();
            double accuracy = (double) correct / w;
            double estimate = report.get("estimatedAccuracy").asDouble();
            boolean outOfRange = report.get("estimateOutOfRange").asBoolean();
            t.windows++;
            t.ours += report.get("drifted").asBoolean() ? 1 : 0;
            t.peer += peer.drifted(images, w, predicted) ? 1 : 0;
            t.trueAccuracy += accuracy;
            t.estimate += estimate;
            t.estimateAbsError += Math.abs(estimate - accuracy);
            if (outOfRange) {
                t.outOfRange++;
            } else {
                t.inRange++;
                t.estimateAbsErrorInRange += Math.abs(estimate - accuracy);
            }
            double confidenceShift = baseline.outputs().accuracy() + confidence / w - baseline.outputs().meanConfidence();
            t.confidenceShiftAbsError += Math.abs(confidenceShift - accuracy);
            if (labelled && report.get("labelled").asLong() > 0) {
                t.labelledWindows++;
                t.liveError += Math.abs(report.get("estimateError").asDouble() - (estimate - accuracy));
            }
            double[] alternatives = study.estimates(probs, w);
            for (int a = 0; a < alternatives.length; a++) {
                t.alternativeAbsError[a] += Math.abs(alternatives[a] - accuracy);
            }
            if (t.example == null && w == 500) {
                t.example = report.get("summary").asText();
            }
        }
        return t;
    }

    private static void print(Map<String, Tally[]> results) {
        double cleanAccuracy = results.get("clean")[WINDOWS.length - 1].trueAccuracy / results.get("clean")[WINDOWS.length - 1].windows;
        System.out.println();
        System.out.println("detection rate (clean: false-alarm rate), EdgeLoop vs the Alibi-Detect recipe; accuracy: true,"
                + " estimated (ATC), mean absolute error of ATC and of the old confidence-shift estimate, share of windows"
                + " flagged out of range and MAE of the rest");
        System.out.printf("%-15s %6s %5s %7s %8s %8s %8s %8s %8s %8s %7s %9s%n", "kind", "window", "n", "cost pp",
                "ours", "peer", "true acc", "estimate", "ATC MAE", "conf MAE", "OOR", "MAE in-r");
        List<Double> mae500 = new ArrayList<>();
        for (Map.Entry<String, Tally[]> e : results.entrySet()) {
            for (int s = 0; s < WINDOWS.length; s++) {
                Tally t = e.getValue()[s];
                double acc = t.trueAccuracy / t.windows;
                System.out.printf(Locale.ROOT, "%-15s %6d %5d %7.1f %7.1f%% %7.1f%% %8.3f %8.3f %8.3f %8.3f %6.0f%% %9s%n",
                        e.getKey(), WINDOWS[s], t.windows, 100 * (cleanAccuracy - acc), 100.0 * t.ours / t.windows,
                        100.0 * t.peer / t.windows, acc, t.estimate / t.windows, t.estimateAbsError / t.windows,
                        t.confidenceShiftAbsError / t.windows, 100.0 * t.outOfRange / t.windows,
                        t.inRange == 0 ? "-" : String.format(Locale.ROOT, "%.3f", t.estimateAbsErrorInRange / t.inRange));
                if (WINDOWS[s] == 500) {
                    mae500.add(t.estimateAbsError / t.windows);
                }
            }
        }
        System.out.println();
        System.out.println("other estimators at window 500 (computed by the benchmark from the served probabilities),"
                + " mean absolute error per kind:");
        System.out.printf("%-15s", "kind");
        Study.NAMES.forEach(name -> System.out.printf(" %9s", name));
        System.out.println();
        double[] averages = new double[Study.NAMES.size()];
        for (Map.Entry<String, Tally[]> e : results.entrySet()) {
            Tally t = e.getValue()[WINDOWS.length - 1];
            System.out.printf("%-15s", e.getKey());
            for (int a = 0; a < averages.length; a++) {
                System.out.printf(Locale.ROOT, " %9.3f", t.alternativeAbsError[a] / t.windows);
                averages[a] += t.alternativeAbsError[a] / t.windows / results.size();
            }
            System.out.println();
        }
        System.out.printf("%-15s", "average");
        for (double a : averages) {
            System.out.printf(Locale.ROOT, " %9.3f", a);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%nATC mean absolute error at window 500, averaged over the %d kinds (clean included):"
                + " %.3f%n", mae500.size(), mae500.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
        System.out.println();
        System.out.println("live accuracy from feedback (window 500, first windows of each kind): |agent's estimate"
                + " error - (estimate - true accuracy)| averaged; 0 means the agent's live accuracy is the true one");
        for (Map.Entry<String, Tally[]> e : results.entrySet()) {
            Tally t = e.getValue()[WINDOWS.length - 1];
            if (t.labelledWindows > 0) {
                System.out.printf(Locale.ROOT, "  %-15s %d windows, %.4f%n", e.getKey(), t.labelledWindows,
                        t.liveError / t.labelledWindows);
            }
        }
        System.out.println();
        System.out.println("one report sentence per kind (first window of 500):");
        for (Map.Entry<String, Tally[]> e : results.entrySet()) {
            System.out.printf("  %-15s %s%n", e.getKey(), e.getValue()[WINDOWS.length - 1].example);
        }
    }

    /** The Alibi-Detect recipe on the same summary features and the served predicted classes. */
    static final class Peer {
        private static final KolmogorovSmirnovTest KS = KolmogorovSmirnovTest.withDefaults();
        private final InputSummary summary = InputSummary.image();
        private final double[][] referenceFeatures;
        private final long[] referenceClasses;

        Peer(Dataset reference, DriftBaseline baseline) {
            int k = summary.names().size();
            referenceFeatures = new double[k][reference.size()];
            for (int i = 0; i < reference.size(); i++) {
                double[] f = summary.summarize(reference.features(), i * 784, 784);
                for (int j = 0; j < k; j++) {
                    referenceFeatures[j][i] = f[j];
                }
            }
            referenceClasses = new long[baseline.outputs().classes().size()];
            for (int c = 0; c < referenceClasses.length; c++) {
                referenceClasses[c] = Math.round(baseline.outputs().classFractions()[c] * baseline.samples());
            }
        }

        boolean drifted(float[] images, int w, int[] predicted) {
            int k = referenceFeatures.length;
            double[][] window = new double[k][w];
            for (int i = 0; i < w; i++) {
                double[] f = summary.summarize(images, i * 784, 784);
                for (int j = 0; j < k; j++) {
                    window[j][i] = f[j];
                }
            }
            for (int j = 0; j < k; j++) {
                if (KS.test(window[j], referenceFeatures[j]).getPValue() < PEER_ALPHA / k) {
                    return true;
                }
            }
            long[] counts = new long[referenceClasses.length];
            for (int p : predicted) {
                counts[p]++;
            }
            // Alibi's ChiSquareDrift: a contingency table of reference and window counts (empty classes left out).
            List<Integer> used = new ArrayList<>();
            for (int c = 0; c < counts.length; c++) {
                if (counts[c] + referenceClasses[c] > 0) {
                    used.add(c);
                }
            }
            long[][] table = new long[2][used.size()];
            for (int j = 0; j < used.size(); j++) {
                table[0][j] = referenceClasses[used.get(j)];
                table[1][j] = counts[used.get(j)];
            }
            return used.size() >= 2 && ChiSquareTest.withDefaults().test(table).getPValue() < PEER_ALPHA;
        }
    }

    /** KServe v2 calls on the agent. */
    static final class Client {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final String base;

        Client(int port) {
            this.base = "http://127.0.0.1:" + port + "/v2/models/" + MODEL_NAME;
        }

        /** Class probabilities of {@code w} images, sent {@value #ROWS_PER_REQUEST} per request as binary tensor data. */
        float[] infer(String prefix, float[] images, int w) throws Exception {
            float[] out = new float[w * 10];
            for (int b = 0; b < w; b += ROWS_PER_REQUEST) {
                int rows = Math.min(ROWS_PER_REQUEST, w - b);
                ByteBuffer data = ByteBuffer.allocate(rows * 784 * 4).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(images, b * 784, rows * 784);
                byte[] head = ("{\"id\":\"" + prefix + "-" + b + "\",\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\","
                        + "\"shape\":[" + rows + ",1,28,28],\"parameters\":{\"binary_data_size\":" + data.capacity() + "}}]}")
                        .getBytes(StandardCharsets.UTF_8);
                byte[] body = Arrays.copyOf(head, head.length + data.capacity());
                System.arraycopy(data.array(), 0, body, head.length, data.capacity());
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/infer"))
                        .header("Content-Type", "application/octet-stream")
                        .header("Inference-Header-Content-Length", Integer.toString(head.length))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("infer answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
                }
                JsonNode values = JSON.readTree(r.body()).get("outputs").get(0).get("data");
                for (int i = 0; i < rows * 10; i++) {
                    out[b * 10 + i] = (float) values.get(i).asDouble();
                }
            }
            return out;
        }

        void feedback(String id, int label) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/feedback"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\",\"label\":" + label + "}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("feedback answered " + r.statusCode() + ": " + r.body());
            }
        }

        JsonNode flush() throws Exception {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/drift?flush=true")).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode last = JSON.readTree(r.body()).get("last");
            if (r.statusCode() != 200 || last == null || last.isNull()) {
                throw new IllegalStateException("drift answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
            }
            return last;
        }
    }

    private record Started(Process process, int port) {
    }

    private static Started startAgent(Path pkg, Path publicKey, Path work) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        // The launchers' JVM options and environment (edge-agent/src/main/dist/jvm.options).
        List<String> jvmOptions = AgentCommandLine.parseJvmOptions(
                Files.readAllLines(root.resolve(AgentCommandLine.JVM_OPTIONS_FILE)));
        List<String> cmd = AgentCommandLine.command(Path.of(System.getProperty("java.home"), "bin", "java"), jvmOptions,
                AgentCommandLine.classpath(root), List.of("--http-port", "0",
                        "--data-dir", work.resolve("agent-data").toString(), "--package", pkg.toString(),
                        "--pubkey", publicKey.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(
                work.resolve("agent.log").toFile()));
        pb.environment().putAll(AgentCommandLine.ENVIRONMENT);
        // Windows are closed by the benchmark (flush), never by size.
        pb.environment().put("EDGELOOP_AGENT_DRIFT_WINDOW_SIZE", "1000");
        pb.environment().put("EDGELOOP_AGENT_DRIFT_MIN_SAMPLES", "50");
        pb.environment().put("EDGELOOP_AGENT_ENGINE_INTRA_OP_THREADS", "1");
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            OptionalInt port = AgentReadyLine.parse(line);
            if (port.isPresent()) {
                Thread drain = new Thread(() -> {
                    try {
                        p.getInputStream().transferTo(OutputStream.nullOutputStream());
                    } catch (java.io.IOException ignored) {
                        // The agent stopped.
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new Started(p, port.getAsInt());
            }
        }
        throw new IllegalStateException("agent did not start; see " + work.resolve("agent.log"));
    }

    private static int[] distinct(int from, int pool, int w, SplittableRandom random) {
        int[] all = new int[pool];
        for (int i = 0; i < pool; i++) {
            all[i] = from + i;
        }
        for (int i = 0; i < w; i++) {
            int j = i + random.nextInt(pool - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, w);
    }

    /** Half the window from the hard classes, half from all classes. */
    private static int[] classMix(List<List<Integer>> byClass, int w, SplittableRandom random) {
        int[] rows = new int[w];
        for (int i = 0; i < w; i++) {
            int c = i % 2 == 0 ? HARD_CLASSES[random.nextInt(HARD_CLASSES.length)] : random.nextInt(10);
            List<Integer> members = byClass.get(c);
            rows[i] = members.get(random.nextInt(members.size()));
        }
        return rows;
    }

    private static int argmax(float[] v, int from, int width) {
        int best = 0;
        for (int i = 1; i < width; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }

    private static String arg(String[] args, String name, String def) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return def;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
