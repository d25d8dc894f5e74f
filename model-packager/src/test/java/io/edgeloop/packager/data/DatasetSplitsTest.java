package io.edgeloop.packager.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetSplitsTest {

    /** 1000 rows, classes 0/1/2 in proportions 60/30/10 %. */
    private static Dataset imbalanced() {
        float[] y = new float[1000];
        float[] x = new float[1000];
        for (int i = 0; i < y.length; i++) {
            y[i] = i < 600 ? 0 : i < 900 ? 1 : 2;
            x[i] = i;
        }
        return new Dataset("t", x, new long[] {1}, y, List.of("a", "b", "c"), List.of("x"));
    }

    private static double share(Dataset d, int label) {
        long n = 0;
        for (int i = 0; i < d.size(); i++) {
            if (d.label(i) == label) {
                n++;
            }
        }
        return (double) n / d.size();
    }

    @Test
    void stratifiedSplitKeepsClassProportionsAndIsSeeded() {
        DatasetSplits.Split s = DatasetSplits.stratified(imbalanced(), 0.1, 0.2, 7);
        assertEquals(700, s.train().size());
        assertEquals(100, s.validation().size());
        assertEquals(200, s.test().size());
        for (Dataset part : List.of(s.train(), s.validation(), s.test())) {
            assertEquals(0.6, share(part, 0), 0.01);
            assertEquals(0.3, share(part, 1), 0.01);
            assertEquals(0.1, share(part, 2), 0.01);
        }
        DatasetSplits.Split again = DatasetSplits.stratified(imbalanced(), 0.1, 0.2, 7);
        assertArrayEquals(s.test().features(), again.test().features());
        DatasetSplits.Split other = DatasetSplits.stratified(imbalanced(), 0.1, 0.2, 8);
        assertTrue(!Arrays.equals(s.test().features(), other.test().features()));
        Set<Float> seen = new HashSet<>();
        for (Dataset part : List.of(s.train(), s.validation(), s.test())) {
            for (float v : part.features()) {
                assertTrue(seen.add(v), "row " + v + " in two parts");
            }
        }
    }

    @Test
    void kFoldsAreDisjointAndCoverEveryRowOnce() {
        List<DatasetSplits.Fold> folds = DatasetSplits.kFold(imbalanced(), 5, 3);
        assertEquals(5, folds.size());
        int[] seen = new int[1000];
        for (DatasetSplits.Fold f : folds) {
            assertEquals(200, f.validationRows().length);
            assertEquals(800, f.trainRows().length);
            Set<Integer> train = new HashSet<>();
            for (int r : f.trainRows()) {
                train.add(r);
            }
            for (int r : f.validationRows()) {
                assertTrue(!train.contains(r), "row " + r + " in both parts of fold " + f.index());
                seen[r]++;
            }
        }
        for (int count : seen) {
            assertEquals(1, count);
        }
    }
}
