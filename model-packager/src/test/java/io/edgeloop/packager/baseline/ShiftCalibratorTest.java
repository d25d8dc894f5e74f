package io.edgeloop.packager.baseline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.packageformat.ManifestJson;
import io.edgeloop.packageformat.baseline.AccuracyCalibration;
import io.edgeloop.packageformat.baseline.ShiftCorrection;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShiftCalibratorTest {
    private static final List<String> ONE = List.of("s");

    /** Signatures along one axis (mean shift x, spread shift 0) with residual -x / 10. */
    private static double[][] line(double... xs) {
        double[][] out = new double[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            out[i] = new double[]{xs[i], 0};
        }
        return out;
    }

    @Test
    void theCorrectionInterpolatesTheNearestCalibratedResidualsAndFlagsWhatIsFar() {
        ShiftCorrection c = new ShiftCorrection(ONE, line(0, 1, 2, 4), new double[]{0, -0.1, -0.2, -0.4}, 2, 1.5);
        ShiftCorrection.Correction at0 = c.at(new double[]{0, 0});
        assertEquals(0, at0.residual(), 1e-5);
        assertFalse(at0.outOfRange());
        // Halfway between 1 and 2: the mean of their residuals, their spread 0.05 around it.
        ShiftCorrection.Correction mid = c.at(new double[]{1.5, 0});
        assertEquals(-0.15, mid.residual(), 1e-12);
        assertEquals(0.05, mid.spread(), 1e-12);
        assertEquals(0.5, mid.distance(), 1e-12);
        // Far beyond the calibrated range: out of range.
        assertTrue(c.at(new double[]{9, 0}).outOfRange());
        assertTrue(c.at(new double[]{0, 3}).outOfRange());
    }

    @Test
    void aShiftStrongerThanEveryCalibratedOneIsOutOfRangeHoweverWideTheRadius() {
        ShiftCorrection c = new ShiftCorrection(ONE, line(0, 1, 2, 4), new double[]{0, -0.1, -0.2, -0.4}, 2, 100);
        // Span 0..4 on the mean coordinate: a quarter of it (1) plus half a standard deviation beyond 4 is still vouched for.
        assertFalse(c.at(new double[]{5.4, 0}).outOfRange());
        assertTrue(c.at(new double[]{6, 0}).outOfRange(), "stronger than any calibrated corruption");
        assertTrue(c.at(new double[]{-2, 0}).outOfRange(), "the other way");
        assertFalse(c.at(new double[]{2, 0.4}).outOfRange(), "sampling noise on a coordinate no corruption moved");
        assertTrue(c.at(new double[]{2, 0.6}).outOfRange());
    }

    @Test
    void theRadiusIsTheWidestGapLeaveOneOutInterpolationBridged() {
        // Smooth residuals: every point is predicted within tolerance; the widest such gap is 2 (4 from 2).
        double[][] points = line(0, 1, 2, 4);
        assertEquals(2, ShiftCalibrator.radius(ONE, points, new double[]{0, -0.01, -0.02, -0.04}), 1e-12);
        // A point whose residual its neighbours cannot predict does not widen the radius.
        assertEquals(1, ShiftCalibrator.radius(ONE, points, new double[]{0, -0.01, -0.02, -0.4}), 1e-12);
    }

    @Test
    void aCalibrationWithItsCorrectionReadsBackFromJson() throws Exception {
        AccuracyCalibration calibration = new AccuracyCalibration(AccuracyCalibration.METHOD, 1.1, 0.6, 0.9, 5000)
                .withCorrection(new ShiftCorrection(ONE, line(0, 1), new double[]{0, -0.1}, 2, 1));
        ObjectMapper json = ManifestJson.mapper();
        AccuracyCalibration back = json.readValue(json.writeValueAsBytes(calibration), AccuracyCalibration.class);
        assertEquals(calibration.threshold(), back.threshold());
        assertArrayEquals(calibration.correction().residuals(), back.correction().residuals());
        assertArrayEquals(calibration.correction().shifts()[1], back.correction().shifts()[1]);
        // A package written before the correction existed.
        AccuracyCalibration old = json.readValue("{\"method\":\"atc-max-confidence\",\"temperature\":1.0,"
                + "\"threshold\":0.5,\"accuracy\":0.9,\"samples\":10}", AccuracyCalibration.class);
        assertEquals(null, old.correction());
    }

    @Test
    void everyCorruptionStaysInRangeAndChangesTheImage() {
        int side = 28;
        float[] image = new float[side * side];
        SplittableRandom r = new SplittableRandom(1);
        for (int y = 6; y < 22; y++) {
            for (int x = 9; x < 19; x++) {
                image[y * side + x] = 0.3f + 0.6f * (float) r.nextDouble();
            }
        }
        for (ImageCorruptions.Corruption c : ImageCorruptions.all()) {
            float[] x = image.clone();
            c.op().apply(x, side, 0, 1, new SplittableRandom(2));
            for (float v : x) {
                assertTrue(v >= 0 && v <= 1, c.name() + " " + v);
            }
            assertNotEquals(java.util.Arrays.toString(image), java.util.Arrays.toString(x), c.name());
        }
    }
}
