package io.edgeloop.server.retraining;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetDigest;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.packager.data.DatasetSplits;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.captures.StoredCapture;
import io.edgeloop.server.retraining.policy.DataMix;
import io.edgeloop.server.retraining.policy.RetrainingPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the mixed training set of a retraining: the original dataset split 90/10 into training
 * and validation rows, plus the labelled captures of the drifted devices, of which a stratified
 * share is held out as the drifted holdout and the rest repeated so they make the policy's
 * captured fraction of the training rows. Captures whose input does not fit the original
 * dataset's width or whose label is not one of its classes are left out and counted.
 */
final class TrainingSetBuilder {
    static final double VALIDATION_FRACTION = 0.1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DatasetLoader loader;

    TrainingSetBuilder(DatasetLoader loader) {
        this.loader = loader;
    }

    /** The splits to train on, the drifted holdout, the clean gate set, and what went in (lineage). */
    record Built(DatasetSplits.Split split, Dataset holdout, Dataset clean, String spec, ObjectNode datasets,
                 ObjectNode mix, List<RetrainingStore.CaptureUse> captures, int skipped) {
    }

    Built build(String decisionId, RetrainingPolicy policy, List<StoredCapture> labelled) throws EdgeLoopException {
        DataMix mix = policy.mix();
        long seed = policy.training().seed();
        Dataset original = loader.load(mix.originalDataset());
        if (mix.originalSamples() > 0) {
            original = original.head(mix.originalSamples());
        }
        int width = original.width();
        int classes = original.classNames().size();
        List<StoredCapture> usable = new ArrayList<>();
        int skipped = 0;
        for (StoredCapture c : labelled) {
            if (c.label() != null && c.label() >= 0 && c.label() < classes && c.input().length == width) {
                usable.add(c);
            } else {
                skipped++;
            }
        }
        if (usable.size() < 2) {
            throw new EdgeLoopException(ErrorCode.DATASET_INVALID, usable.size() + " usable labelled captures ("
                    + skipped + " did not fit " + original.name() + "'s " + width + " features and " + classes
                    + " classes); a retraining needs at least 2");
        }
        float[] x = new float[usable.size() * width];
        float[] y = new float[usable.size()];
        for (int i = 0; i < usable.size(); i++) {
            System.arraycopy(usable.get(i).input(), 0, x, i * width, width);
            y[i] = usable.get(i).label();
        }
        Dataset captured = new Dataset("captures:" + decisionId, x, original.featureShape().clone(), y,
                original.classNames(), original.featureNames());
        int[][] rows = DatasetSplits.stratifiedRows(captured, mix.holdoutFraction(), 0, seed);
        int[] trainRows = rows[0];
        int[] holdoutRows = rows[1];
        if (holdoutRows.length == 0 || trainRows.length == 0) {
            throw new EdgeLoopException(ErrorCode.DATASET_INVALID, usable.size() + " labelled captures give "
                    + trainRows.length + " to train on and " + holdoutRows.length + " to hold out; label more captures");
        }
        Dataset capturedTrain = captured.select(trainRows, "captures:" + decisionId + "#train");
        Dataset holdout = captured.select(holdoutRows, "captures:" + decisionId + "#holdout");
        DatasetSplits.Split originalSplit = DatasetSplits.stratified(original, VALIDATION_FRACTION, 0, seed);
        int repeats = mix.repeats(capturedTrain.size(), originalSplit.train().size());
        Dataset train = concat(original.name() + "+captures", originalSplit.train(), capturedTrain, repeats);
        Dataset clean = loader.load(policy.gate().cleanDataset());
        String spec = "retraining:" + decisionId + " (" + original.name() + " + " + capturedTrain.size() + " captures x"
                + repeats + ")";

        ObjectNode datasets = JSON.createObjectNode();
        ArrayNode list = datasets.putArray("datasets");
        list.addObject().put("role", "original").put("spec", mix.originalDataset()).put("rows", original.size())
                .put("sha256", DatasetDigest.sha256(original));
        list.addObject().put("role", "captures-train").put("spec", capturedTrain.name()).put("rows", capturedTrain.size())
                .put("sha256", DatasetDigest.sha256(capturedTrain));
        list.addObject().put("role", "drifted-holdout").put("spec", holdout.name()).put("rows", holdout.size())
                .put("sha256", DatasetDigest.sha256(holdout));
        list.addObject().put("role", "clean-gate").put("spec", policy.gate().cleanDataset()).put("rows", clean.size())
                .put("sha256", DatasetDigest.sha256(clean));
        ObjectNode mixFigures = JSON.createObjectNode();
        mixFigures.put("originalTrainRows", originalSplit.train().size())
                .put("validationRows", originalSplit.validation().size())
                .put("capturedTrain", capturedTrain.size()).put("repeats", repeats)
                .put("capturedRows", (long) capturedTrain.size() * repeats).put("trainRows", train.size())
                .put("capturedShare", (double) capturedTrain.size() * repeats / train.size())
                .put("holdout", holdout.size()).put("skippedCaptures", skipped);
        List<RetrainingStore.CaptureUse> uses = new ArrayList<>();
        uses.addAll(uses(usable, trainRows, "train"));
        uses.addAll(uses(usable, holdoutRows, "holdout"));
        return new Built(new DatasetSplits.Split(train, originalSplit.validation(), clean), holdout, clean, spec,
                datasets, mixFigures, uses, skipped);
    }

    private static List<RetrainingStore.CaptureUse> uses(List<StoredCapture> captures, int[] rows, String part) {
        Map<String, List<Long>> byDevice = new TreeMap<>();
        for (int r : rows) {
            StoredCapture c = captures.get(r);
            byDevice.computeIfAbsent(c.deviceId(), k -> new ArrayList<>()).add(c.id());
        }
        List<RetrainingStore.CaptureUse> out = new ArrayList<>();
        byDevice.forEach((device, ids) -> out.add(new RetrainingStore.CaptureUse(device, part, ids)));
        return out;
    }

    /** {@code base} followed by {@code extra} repeated {@code times} times. */
    static Dataset concat(String name, Dataset base, Dataset extra, int times) {
        int w = base.width();
        int n = base.size() + extra.size() * times;
        float[] x = new float[n * w];
        float[] y = new float[n];
        System.arraycopy(base.features(), 0, x, 0, base.size() * w);
        System.arraycopy(base.targets(), 0, y, 0, base.size());
        int at = base.size();
        for (int t = 0; t < times; t++) {
            System.arraycopy(extra.features(), 0, x, at * w, extra.size() * w);
            System.arraycopy(extra.targets(), 0, y, at, extra.size());
            at += extra.size();
        }
        return new Dataset(name, x, base.featureShape().clone(), y, base.classNames(), base.featureNames());
    }
}
