package io.edgeloop.server.retraining.policy;

/**
 * How the retraining set is mixed: the original dataset and the labelled captures of the drifted
 * devices, of which a stratified {@code holdoutFraction} is held out (the drifted holdout the gate
 * compares on) and the rest oversampled so that captures make {@code capturedFraction} of the
 * training rows (a few hundred captures among 54,000 original rows would otherwise barely move
 * the model).
 *
 * @param originalDataset the dataset spec v1 was trained on, e.g. {@code fashion-mnist:train}
 * @param originalSamples the first this many rows of it; 0: all
 * @param maxCaptures     the most labelled captures used (the newest beyond it are left out)
 */
public record DataMix(String originalDataset, int originalSamples, double capturedFraction, double holdoutFraction,
                      int maxCaptures) {
    /** The most captures one read of the capture store returns. */
    public static final int MAX_CAPTURES = 10_000;
    public static final DataMix DEFAULTS = new DataMix("fashion-mnist:train", 0, 0.1, 0.3, MAX_CAPTURES);

    public DataMix {
        PolicyChecks.text("mix.originalDataset", originalDataset);
        PolicyChecks.atLeast("mix.originalSamples", originalSamples, 0);
        PolicyChecks.fraction("mix.capturedFraction", capturedFraction, false);
        PolicyChecks.fraction("mix.holdoutFraction", holdoutFraction, false);
        PolicyChecks.atLeast("mix.maxCaptures", maxCaptures, 2);
        if (maxCaptures > MAX_CAPTURES) {
            throw new IllegalArgumentException("mix.maxCaptures must be at most " + MAX_CAPTURES + ", was " + maxCaptures);
        }
    }

    /** The planned mix: how many captures are held out, trained on, and how often each is repeated. */
    public record Plan(int captures, int holdout, int trainCaptures, int repeats, int originalRows,
                       double capturedShare) {
    }

    /** How often each of {@code trainCaptures} captures is repeated to make {@code capturedFraction} of the rows. */
    public int repeats(int trainCaptures, int originalRows) {
        return trainCaptures == 0 ? 0
                : Math.max(1, (int) Math.round(capturedFraction * originalRows / ((1 - capturedFraction) * trainCaptures)));
    }

    /**
     * @param labelledCaptures labelled captures available (before the cap)
     * @param originalRows     training rows taken from the original dataset
     */
    public Plan plan(int labelledCaptures, int originalRows) {
        int n = Math.min(labelledCaptures, maxCaptures);
        int holdout = Math.max(1, (int) Math.round(n * holdoutFraction));
        int train = Math.max(0, n - holdout);
        int repeats = repeats(train, originalRows);
        long capturedRows = (long) train * repeats;
        double share = capturedRows + originalRows == 0 ? 0 : (double) capturedRows / (capturedRows + originalRows);
        return new Plan(n, holdout, train, repeats, originalRows, share);
    }
}
