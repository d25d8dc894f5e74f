package io.edgeloop.server.training;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetSplits;
import io.edgeloop.packager.export.FeatureScaling;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.tracking.EpochResult;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stratified k-fold cross-validation: trains one network per fold (scaling learned on that
 * fold's training rows only) and scores it on the fold's held-out rows. Reports the score per
 * fold with its mean and standard deviation: accuracy for classifiers, validation loss otherwise.
 */
public final class CrossValidation {
    private final TrainingOptions options;
    private final PrintStream progress;

    public CrossValidation(TrainingOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public Map<String, Object> run(Dataset data, int k) throws EdgeLoopException {
        List<Double> scores = new ArrayList<>();
        for (DatasetSplits.Fold fold : DatasetSplits.kFold(data, k, options.seed())) {
            Dataset train = data.select(fold.trainRows(), data.name() + "#fold" + fold.index() + "-train");
            Dataset held = data.select(fold.validationRows(), data.name() + "#fold" + fold.index() + "-validation");
            FeatureScaling scaling = train.featureNames().isEmpty()
                    ? FeatureScaling.learnGlobal(train.features())
                    : FeatureScaling.learnPerFeature(train.features(), train.width());
            try (TrainedNetwork net = new NetworkTrainer(options, progress)
                    .train(TrainingPipeline.scaled(train, scaling), TrainingPipeline.scaled(held, scaling))) {
                EpochResult last = net.epochs().get(net.epochs().size() - 1);
                double score = net.classifier() ? last.validationAccuracy() : last.validationLoss();
                progress.printf("fold %d/%d: %s %.4f%n", fold.index() + 1, k,
                        net.classifier() ? "accuracy" : "loss", score);
                scores.add(score);
            }
        }
        double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double var = scores.stream().mapToDouble(s -> (s - mean) * (s - mean)).sum() / Math.max(1, scores.size() - 1);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("folds", k);
        out.put("scores", scores);
        out.put("mean", mean);
        out.put("std", Math.sqrt(var));
        return out;
    }
}
