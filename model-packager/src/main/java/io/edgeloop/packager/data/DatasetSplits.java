package io.edgeloop.packager.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded, stratified splits: every class keeps (to within one sample) its share in every part,
 * and the same seed always gives the same rows. Regression data is split at random.
 */
public final class DatasetSplits {

    /** Training, validation and test parts of one dataset; {@code test} may be empty. */
    public record Split(Dataset train, Dataset validation, Dataset test) {
    }

    /** The rows of one cross-validation fold. */
    public record Fold(int index, int[] trainRows, int[] validationRows) {
    }

    private DatasetSplits() {
    }

    /** Splits {@code data} into train / validation / test by the given fractions. */
    public static Split stratified(Dataset data, double validationFraction, double testFraction, long seed) {
        int[][] rows = stratifiedRows(data, validationFraction, testFraction, seed);
        return new Split(data.select(rows[0], data.name() + "#train"),
                data.select(rows[1], data.name() + "#validation"),
                data.select(rows[2], data.name() + "#test"));
    }

    /** The row numbers of {@link #stratified}'s train, validation and test parts, each ascending. */
    public static int[][] stratifiedRows(Dataset data, double validationFraction, double testFraction, long seed) {
        if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1) {
            throw new IllegalArgumentException("validation " + validationFraction + " + test " + testFraction
                    + " must leave rows for training");
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> val = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (List<Integer> stratum : strata(data, seed)) {
            int n = stratum.size();
            int nTest = (int) Math.round(n * testFraction);
            int nVal = (int) Math.round(n * validationFraction);
            for (int i = 0; i < n; i++) {
                (i < nTest ? test : i < nTest + nVal ? val : train).add(stratum.get(i));
            }
        }
        return new int[][] {sorted(train), sorted(val), sorted(test)};
    }

    /** {@code k} stratified folds: each row is in exactly one fold's validation rows. */
    public static List<Fold> kFold(Dataset data, int k, long seed) {
        if (k < 2 || k > data.size()) {
            throw new IllegalArgumentException("k-fold needs 2 <= k <= " + data.size() + ", not " + k);
        }
        List<List<Integer>> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            folds.add(new ArrayList<>());
        }
        int next = 0;
        for (List<Integer> stratum : strata(data, seed)) {
            for (int row : stratum) {
                folds.get(next).add(row);
                next = (next + 1) % k;
            }
        }
        List<Fold> out = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            List<Integer> trainRows = new ArrayList<>();
            for (int g = 0; g < k; g++) {
                if (g != f) {
                    trainRows.addAll(folds.get(g));
                }
            }
            out.add(new Fold(f, sorted(trainRows), sorted(folds.get(f))));
        }
        return out;
    }

    /** Rows grouped by class (one group for regression), each group shuffled with the seed. */
    private static List<List<Integer>> strata(Dataset data, long seed) {
        int groups = data.isClassification() ? data.classNames().size() : 1;
        List<List<Integer>> strata = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            strata.add(new ArrayList<>());
        }
        for (int row = 0; row < data.size(); row++) {
            strata.get(data.isClassification() ? data.label(row) : 0).add(row);
        }
        Random random = new Random(seed);
        for (List<Integer> stratum : strata) {
            java.util.Collections.shuffle(stratum, random);
        }
        return strata;
    }

    private static int[] sorted(List<Integer> rows) {
        return rows.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
