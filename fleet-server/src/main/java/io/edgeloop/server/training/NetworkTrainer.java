package io.edgeloop.server.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.tracking.EpochResult;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains a {@link ModelArchitecture} with DJL's PyTorch engine. The training split lives as one
 * NDArray; each epoch gathers it once in a shuffled order and then slices contiguous batches,
 * each batch's intermediates freed with its own sub-manager, so no per-sample Java work happens
 * inside the loop. Early stopping keeps the parameters of the epoch with the best validation loss.
 */
public final class NetworkTrainer {
    static final String ENGINE = "PyTorch";
    private static final int EVAL_CHUNK = 2000;

    private final TrainingOptions options;
    private final PrintStream progress;

    public NetworkTrainer(TrainingOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    /** Trains on {@code train} (features already scaled), validating on {@code validation} after each epoch. */
    public TrainedNetwork train(Dataset train, Dataset validation) throws EdgeLoopException {
        Engine engine = engine(options.threads());
        Device device = device(engine, options.device());
        engine.setRandomSeed((int) options.seed());
        boolean classifier = train.isClassification();
        int outputs = classifier ? train.classNames().size() : 1;
        Block block = options.architecture().build(train.featureShape(), outputs, options.hiddenLayers());
        Model model = Model.newInstance("edgeloop-" + options.architecture().id(), device, ENGINE);
        try {
            model.setBlock(block);
            List<EpochResult> epochs = fit(model, block, train, validation, classifier, device);
            return new TrainedNetwork(model, block, classifier, epochs);
        } catch (RuntimeException | IOException e) {
            model.close();
            throw new EdgeLoopException(ErrorCode.INTERNAL, "training failed: " + e, e);
        }
    }

    private List<EpochResult> fit(Model model, Block block, Dataset train, Dataset validation, boolean classifier,
                                  Device device) throws IOException {
        Loss loss = classifier ? Loss.softmaxCrossEntropyLoss() : Loss.l2Loss();
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optOptimizer(optimizer(steps(train.size())))
                .optDevices(new Device[] {device});
        List<EpochResult> history = new ArrayList<>();
        try (Trainer trainer = model.newTrainer(config);
             NDManager data = model.getNDManager().newSubManager()) {
            long[] sample = train.featureShape();
            trainer.initialize(new Shape(prepend(options.batchSize(), sample)));
            NDArray x = data.create(train.features(), new Shape(prepend(train.size(), sample)));
            NDArray y = labels(data, train, classifier);
            Random shuffle = new Random(options.seed());
            double bestLoss = Double.POSITIVE_INFINITY;
            byte[] bestParameters = null;
            int sinceBest = 0;
            for (int epoch = 1; epoch <= options.epochs(); epoch++) {
                long start = System.nanoTime();
                double trainLoss = runEpoch(trainer, data, x, y, permutation(train.size(), shuffle));
                double[] val = evaluate(block, validation, classifier, loss, device);
                double seconds = (System.nanoTime() - start) / 1e9;
                EpochResult result = new EpochResult(epoch, trainLoss, val[0], val[1], seconds);
                history.add(result);
                // Regression has no accuracy; its validation loss is the MSE already printed.
                String accuracy = classifier ? String.format("  val_accuracy %.4f", val[1]) : "";
                progress.printf("epoch %d/%d  loss %.4f  val_loss %.4f%s  %.1f s%n",
                        epoch, options.epochs(), trainLoss, val[0], accuracy, seconds);
                if (val[0] < bestLoss) {
                    bestLoss = val[0];
                    bestParameters = saveParameters(block);
                    sinceBest = 0;
                } else if (options.patience() > 0 && ++sinceBest >= options.patience()) {
                    progress.printf("early stop: validation loss has not improved for %d epochs%n", sinceBest);
                    break;
                }
            }
            if (bestParameters != null && bestLoss < history.get(history.size() - 1).validationLoss()) {
                restoreParameters(block, model.getNDManager(), bestParameters);
            }
        }
        return history;
    }

    private double runEpoch(Trainer trainer, NDManager data, NDArray x, NDArray y, int[] order) {
        int n = order.length;
        int batch = options.batchSize();
        double lossSum = 0;
        int batches = 0;
        try (NDManager epoch = data.newSubManager()) {
            NDArray index = epoch.create(order);
            NDArray xs = x.get(epoch, new NDIndex("{}", index));
            NDArray ys = y.get(epoch, new NDIndex("{}", index));
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                try (NDManager step = epoch.newSubManager()) {
                    NDIndex rows = new NDIndex("{}:{}", from, to);
                    NDArray xb = xs.get(step, rows);
                    NDArray yb = ys.get(step, rows);
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray prediction = trainer.forward(new NDList(xb)).singletonOrThrow();
                        NDArray l = trainer.getLoss().evaluate(new NDList(yb), new NDList(prediction));
                        collector.backward(l);
                        lossSum += l.getFloat();
                    }
                    step(trainer);
                    batches++;
                }
            }
        }
        return lossSum / Math.max(1, batches);
    }

    /**
     * {@link Trainer#step()}, tolerating DJL's first-step check where it is wrong: until one step
     * passes, DJL refuses a step whose gradients sum to exactly 0, but a softmax over one linear
     * layer (logistic regression) has gradients whose signed sum is 0 analytically, so float
     * rounding alone decides (it refused a plain two-class CSV on an AMD EPYC). When some gradient
     * is non-zero the check was wrong: that batch's update is skipped and training goes on; when
     * all are zero the refusal stands.
     */
    private static void step(Trainer trainer) {
        try {
            trainer.step();
        } catch (IllegalStateException refused) {
            boolean anyNonZero = trainer.getModel().getBlock().getParameters().values().stream()
                    .filter(p -> p.requiresGradient() && p.isInitialized())
                    .anyMatch(p -> p.getArray().getGradient().abs().sum().getFloat() > 0f);
            if (!anyNonZero) {
                throw refused;
            }
        }
    }

    /** Mean loss and accuracy (NaN for regression) of {@code block} on {@code dataset}. */
    static double[] evaluate(Block block, Dataset dataset, boolean classifier, Loss loss, Device device) {
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < dataset.size(); from += EVAL_CHUNK) {
            int to = Math.min(dataset.size(), from + EVAL_CHUNK);
            try (NDManager manager = NDManager.newBaseManager(device, ENGINE)) {
                Dataset chunk = dataset.select(range(from, to), dataset.name());
                NDArray out = DjlPredictions.forward(block, manager, chunk);
                NDArray labels = labels(manager, chunk, classifier);
                lossSum += loss.evaluate(new NDList(labels), new NDList(out)).getFloat() * (to - from);
                if (classifier) {
                    correct += out.argMax(1).eq(labels).countNonzero().getLong();
                }
            }
        }
        int n = Math.max(1, dataset.size());
        return new double[] {lossSum / n, classifier ? (double) correct / n : Double.NaN};
    }

    private int steps(int trainingSamples) {
        return options.epochs() * ((trainingSamples + options.batchSize() - 1) / options.batchSize());
    }

    private Optimizer optimizer(int totalSteps) {
        float start = (float) options.learningRate();
        Tracker rate = options.schedule().equals("cosine")
                ? Tracker.cosine().setBaseValue(start).optFinalValue(0f).setMaxUpdates(Math.max(1, totalSteps)).build()
                : Tracker.fixed(start);
        return options.optimizer().equals("sgd")
                ? Optimizer.sgd().setLearningRateTracker(rate).optMomentum(0.9f).build()
                : Optimizer.adam().optLearningRateTracker(rate).build();
    }

    /** The PyTorch engine with {@code threads} intra-op threads; only the first call in a JVM sets them. */
    static Engine engine(int threads) {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        return Engine.getEngine(ENGINE);
    }

    static Device device(Engine engine, String wanted) throws EdgeLoopException {
        boolean gpu = engine.getGpuCount() > 0;
        if (wanted.equals("gpu") && !gpu) {
            throw new EdgeLoopException(ErrorCode.ENGINE_UNAVAILABLE, "--device gpu was asked for but PyTorch sees no GPU");
        }
        return gpu && !wanted.equals("cpu") ? Device.gpu() : Device.cpu();
    }

    static NDArray labels(NDManager manager, Dataset dataset, boolean classifier) {
        if (!classifier) {
            return manager.create(dataset.targets(), new Shape(dataset.size(), 1));
        }
        long[] classes = new long[dataset.size()];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = dataset.label(i);
        }
        return manager.create(classes);
    }

    private static int[] permutation(int n, Random random) {
        int[] order = range(0, n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    static int[] range(int from, int to) {
        int[] rows = new int[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = from + i;
        }
        return rows;
    }

    static long[] prepend(long first, long[] rest) {
        long[] out = new long[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    private static byte[] saveParameters(Block block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    private static void restoreParameters(Block block, NDManager manager, byte[] saved) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved))) {
            block.loadParameters(manager, in);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException("cannot restore the best epoch's parameters", e);
        }
    }
}
