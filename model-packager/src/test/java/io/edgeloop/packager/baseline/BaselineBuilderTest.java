package io.edgeloop.packager.baseline;

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
    void imageSummaryIsBrightnessAndInk() {
        double[] s = InputSummary.image().summarize(new float[]{0f, 1f, 1f, 0f}, 0, 4);
        assertEquals(0.5, s[0], 1e-9);
        assertEquals(0.5, s[1], 1e-9);
        assertEquals(0.5, s[2], 1e-9);
        assertEquals(1.0, s[3], 1e-9);
        assertTrue(InputSummary.forInput(List.of()).names().contains("ink_fraction"));
    }
}
