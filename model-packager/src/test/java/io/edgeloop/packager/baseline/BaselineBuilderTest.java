package io.edgeloop.packager.baseline;

import io.edgeloop.packageformat.baseline.AccuracyCalibration;
import io.edgeloop.packageformat.baseline.DriftBaseline;
import io.edgeloop.packageformat.baseline.FeatureBaseline;
import io.edgeloop.packageformat.baseline.InputSummary;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselineBuilderTest {

    @Test
    void recordsFeatureBinsOutputsAndAccuracy() {
        BaselineBuilder builder = new BaselineBuilder(InputSummary.tabular(List.of("x")), List.of("a", "b"), 4);
        for (int i = 0; i < 100; i++) {
            float[] probs = i < 75 ? new float[]{0.9f, 0.1f} : new float[]{0.3f, 0.7f};
            builder.add(new float[]{i}, 0, 1, probs, i < 80 ? 0 : 1);
        }
        DriftBaseline baseline = builder.build();
        FeatureBaseline x = baseline.inputs().get(0);
        assertEquals(3, x.edges().length);
        assertEquals(0.25, x.fractions()[0], 0.02);
        assertEquals(49.5, x.mean(), 1e-9);
        assertEquals(100, x.reference().length);
        assertEquals(0.75, baseline.outputs().classFractions()[0], 1e-12);
        assertEquals(0.75 * 0.9 + 0.25 * 0.7, baseline.outputs().meanConfidence(), 1e-6);
        // 75 predicted a (labels: 0..74 are a → correct), 75..79 predicted b but labelled a, 80..99 b correct.
        assertEquals(0.95, baseline.outputs().accuracy(), 1e-12);
        assertEquals(x.bin(-5), 0);
        assertEquals(x.bin(1000), 3);
    }

    @Test
    void imageSummaryIsBrightnessInkSharpnessAndGeometry() {
        assertEquals(InputSummary.IMAGE_FEATURES, InputSummary.forInput(List.of()).names());
        // A 2x2 image [[0, 1], [1, 0]].
        double[] s = InputSummary.image().summarize(new float[]{0f, 1f, 1f, 0f}, 0, 4);
        assertEquals(0.5, s[0], 1e-9);
        assertEquals(0.5, s[1], 1e-9);
        assertEquals(0.5, s[2], 1e-9);
        assertEquals(1.0, s[3], 1e-9, "gradient: (0 + 1 + 1 + 2) / 4");
        assertEquals(0, s[5], 1e-9, "centroid_x: centred");
        assertEquals(-1, s[7], 1e-9, "orientation: the anti-diagonal");
        // A 4x4 image with one bright pixel right of centre: shifted centroid, no interior Laplacian.
        float[] dot = new float[16];
        dot[4 * 1 + 3] = 1;
        double[] d = InputSummary.image().summarize(dot, 0, 16);
        assertEquals(1.5, d[5], 1e-9);
        assertEquals(-0.5, d[6], 1e-9);
        // Older baselines name "max", which stays computable.
        assertEquals(1.0, InputSummary.image(List.of("max")).summarize(dot, 0, 16)[0], 1e-9);
    }

    @Test
    void calibrationReproducesTheReferenceAccuracyAndFitsATemperature() {
        BaselineBuilder builder = new BaselineBuilder(InputSummary.tabular(List.of("x")), List.of("a", "b"), 4);
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < 2000; i++) {
            // Overconfident: right 70 % of the time with a probability around 0.95.
            float p = (float) (0.9 + 0.09 * r.nextDouble());
            int label = r.nextDouble() < 0.7 ? 0 : 1;
            builder.add(new float[]{i}, 0, 1, new float[]{p, 1 - p}, label);
        }
        AccuracyCalibration c = builder.build().outputs().calibration();
        assertEquals(0.7, c.accuracy(), 0.03);
        assertTrue(c.temperature() > 1.5, "an overconfident model is cooled: T " + c.temperature());
        assertEquals(AccuracyCalibration.METHOD, c.method());
        assertEquals(2000, c.samples());
        assertTrue(builder.build().outputs().margin().reference().length <= BaselineBuilder.MAX_REFERENCE);
    }
}
