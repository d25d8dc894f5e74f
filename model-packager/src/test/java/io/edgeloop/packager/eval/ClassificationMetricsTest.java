package io.edgeloop.packager.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassificationMetricsTest {

    @Test
    void matchesHandComputedFigures() {
        // truth:     0 0 0 1 1 2
        // predicted: 0 0 1 1 2 2
        ClassificationMetrics m = ClassificationMetrics.of(new int[]{0, 0, 0, 1, 1, 2}, new int[]{0, 0, 1, 1, 2, 2}, 3);
        assertEquals(4.0 / 6, m.accuracy(), 1e-12);
        assertArrayEquals(new double[]{1.0, 0.5, 0.5}, m.precision(), 1e-12);
        assertArrayEquals(new double[]{2.0 / 3, 0.5, 1.0}, m.recall(), 1e-12);
        assertEquals(0.8, m.f1()[0], 1e-12);
        assertEquals((0.8 + 0.5 + 2.0 / 3) / 3, m.f1Macro(), 1e-12);
        assertEquals(1, m.confusion()[0][1]);
        assertEquals(1, m.confusion()[1][2]);
    }

    @Test
    void classNeverPredictedScoresZeroPrecision() {
        ClassificationMetrics m = ClassificationMetrics.of(new int[]{0, 1}, new int[]{0, 0}, 2);
        assertEquals(0, m.precision()[1]);
        assertEquals(0.5, m.precision()[0], 1e-12);
    }

    @Test
    void regressionMetrics() {
        RegressionMetrics r = RegressionMetrics.of(new float[]{1, 2, 3}, new float[]{1, 2, 4});
        assertEquals(1.0 / 3, r.mse(), 1e-9);
        assertEquals(1.0 / 3, r.mae(), 1e-9);
        assertEquals(1 - 1.0 / 2, r.r2(), 1e-9);
    }
}
