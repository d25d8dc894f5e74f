package io.edgeloop.server.demo;

import io.edgeloop.packager.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CameraShiftTest {
    private static final int SIDE = 28;

    /** A bright vertical bar through the centre: rotation tilts it, the new camera darkens it. */
    private static float[] bar() {
        float[] image = new float[SIDE * SIDE];
        for (int y = 2; y < SIDE - 2; y++) {
            image[y * SIDE + 13] = 1f;
            image[y * SIDE + 14] = 1f;
        }
        return image;
    }

    @Test
    void darkensAndRotatesTheSameWayForTheSameImageIndex() {
        CameraShift shift = new CameraShift(SIDE);
        float[] a = shift.apply(bar(), 0, 17);
        assertArrayEquals(a, shift.apply(bar(), 0, 17), "seeded by the image index: the same every run");
        assertFalse(java.util.Arrays.equals(a, shift.apply(bar(), 0, 18)), "another image gets another angle");
        double before = 0;
        double after = 0;
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            before += bar()[i];
            after += a[i];
            max = Math.max(max, a[i]);
        }
        assertTrue(max <= CameraShift.BRIGHTNESS + 1e-6, "no pixel brighter than the darkening allows: " + max);
        assertEquals(CameraShift.BRIGHTNESS, after / before, 0.08, "mass scaled by the brightness (little lost at the edges)");
        // The bar's top end moved sideways: at 15-25 degrees it leaves column 13-14 by several pixels.
        int top = 3;
        int column = 0;
        for (int x = 0; x < SIDE; x++) {
            column = a[top * SIDE + x] > a[top * SIDE + column] ? x : column;
        }
        assertTrue(Math.abs(column - 13.5) >= 3, "the top of the bar is rotated away from the centre column: " + column);
    }

    @Test
    void shiftsEveryRowOfADatasetKeepingItsLabels() {
        float[] features = new float[2 * SIDE * SIDE];
        System.arraycopy(bar(), 0, features, SIDE * SIDE, SIDE * SIDE);
        Dataset data = new Dataset("bars", features, new long[] {1, SIDE, SIDE}, new float[] {3, 7}, List.of("a", "b", "c", "d", "e", "f", "g", "h"), List.of());
        Dataset shifted = new CameraShift(SIDE).apply(data, 100);
        assertEquals(7, shifted.label(1));
        float[] row = new float[SIDE * SIDE];
        shifted.copyRow(1, row, 0);
        assertArrayEquals(new CameraShift(SIDE).apply(bar(), 0, 101), row);
    }
}
