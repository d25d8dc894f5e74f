package io.edgeloop.agent.drift;

import io.edgeloop.packageformat.baseline.AccuracyCalibration;
import io.edgeloop.packageformat.baseline.DriftBaseline;
import io.edgeloop.packageformat.baseline.InputSummary;
import io.edgeloop.packageformat.baseline.OutputScores;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Streams live predictions of one model version into fixed-size windows and compares each full
 * window with the package's drift baseline (see {@link DriftWindow}); calls the listener with
 * each window's {@link DriftResult}. Inputs are summarised by the baseline's own
 * {@link InputSummary}, exactly as at packaging time. Ground-truth labels posted later by request
 * id update the live accuracy of the window open when the label arrives. Thread-safe.
 */
public final class DriftMonitor {
    private record Prediction(int topClass) {
    }

    private final String model;
    private final String version;
    private final DriftBaseline baseline;
    private final DriftOptions options;
    private final InputSummary summary;
    private final AccuracyCalibration calibration;
    private final Consumer<DriftResult> listener;
    private final Map<String, Prediction> recent;
    private final boolean referencesAscend;
    private DriftWindow window;
    private long windowIndex;
    private DriftResult last;

    public DriftMonitor(String model, String version, DriftBaseline baseline, DriftOptions options,
                        Consumer<DriftResult> listener) {
        this.model = model;
        this.version = version;
        this.baseline = baseline;
        this.options = options;
        this.summary = baseline.summary();
        this.calibration = baseline.outputs().calibration();
        this.listener = listener;
        this.referencesAscend = DriftWindow.referencesAscend(baseline);
        this.window = new DriftWindow(baseline, options, referencesAscend);
        int capacity = options.feedbackCapacity();
        this.recent = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Prediction> eldest) {
                return size() > capacity;
            }
        };
    }

    public DriftBaseline baseline() {
        return baseline;
    }

    /**
     * Observes one sample: {@code width} input values from {@code offset}, and its class
     * probabilities ({@code classes} values from {@code probOffset}).
     */
    public void observe(String requestId, float[] input, int offset, int width, float[] probs, int probOffset) {
        double[] features = summary.summarize(input, offset, width);
        int classes = baseline.outputs().classes().size();
        int top = 0;
        for (int i = 1; i < classes; i++) {
            if (probs[probOffset + i] > probs[probOffset + top]) {
                top = i;
            }
        }
        double confidence = probs[probOffset + top];
        double[] logProbabilities = OutputScores.logProbabilities(probs, probOffset, classes, new double[classes]);
        double margin = OutputScores.margin(logProbabilities);
        boolean expectedCorrect = calibration != null && calibration.counts(calibration.score(logProbabilities));
        DriftResult done = null;
        synchronized (this) {
            window.add(features, top, confidence, margin, expectedCorrect);
            if (requestId != null && options.feedbackCapacity() > 0) {
                recent.put(requestId, new Prediction(top));
            }
            if (window.full()) {
                done = window.compare(model, version, windowIndex++);
                last = done;
                window = new DriftWindow(baseline, options, referencesAscend);
            }
        }
        if (done != null) {
            listener.accept(done);
        }
    }

    /** Records the true label of an earlier prediction; false when the id is unknown or forgotten. */
    public boolean feedback(String requestId, int label) {
        synchronized (this) {
            Prediction p = recent.remove(requestId);
            if (p == null) {
                return false;
            }
            // Counted in the window open now: live accuracy is that of the feedback received during it.
            window.label(p.topClass == label);
            return true;
        }
    }

    /** The last full window's result. */
    public synchronized Optional<DriftResult> last() {
        return Optional.ofNullable(last);
    }

    /** An interim result on the current partial window, when it has at least {@code minSamples}. */
    public synchronized Optional<DriftResult> current() {
        if (window.count() < options.minSamples()) {
            return Optional.empty();
        }
        return Optional.of(window.compare(model, version, windowIndex));
    }

    /** Closes the current window now (if it has at least {@code minSamples}) and reports it. */
    public Optional<DriftResult> flush() {
        DriftResult done;
        synchronized (this) {
            if (window.count() < options.minSamples()) {
                return Optional.empty();
            }
            done = window.compare(model, version, windowIndex++);
            last = done;
            window = new DriftWindow(baseline, options, referencesAscend);
        }
        listener.accept(done);
        return Optional.of(done);
    }
}
