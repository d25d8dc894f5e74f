package io.edgeloop.packager.data;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a CSV dataset described by a {@link CsvSpec} and cleans it: exact duplicate rows are
 * removed, missing values are dropped or imputed per column, and a non-numeric or out-of-range
 * value is refused with its line and column ({@link ErrorCode#DATASET_INVALID}). Class labels
 * are the label column's distinct values in sorted order. The spec's {@link PiiRules} are checked
 * against the header first: dropped and hashed columns are never features, and a hashed group
 * column yields the hashes of its values as groups, so nothing derived holds the raw values.
 */
public final class CsvDatasetReader {
    private static final Set<String> MISSING = Set.of("", "na", "nan", "null", "?", "n/a");

    private final PiiHasher hasher;

    /** A reader without a PII key: a spec hashing its group column is refused. */
    public CsvDatasetReader() {
        this(null);
    }

    /** A reader that hashes a {@link PiiRule#HASH} group column with {@code hasher}. */
    public CsvDatasetReader(PiiHasher hasher) {
        this.hasher = hasher;
    }

    public TabularData read(CsvSpec spec) throws EdgeLoopException {
        List<String> lines;
        try {
            lines = Files.readAllLines(spec.path(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.DATASET_UNAVAILABLE, "cannot read " + spec.path() + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw invalid(spec.path() + " is empty; the first line must name the columns");
        }
        List<String> header = CsvLine.split(lines.get(0), 1);
        int labelCol = column(header, spec.label(), "label");
        int groupCol = spec.group() == null ? -1 : column(header, spec.group(), "group");
        for (String c : spec.missing().keySet()) {
            column(header, c, "missing");
        }
        for (String c : spec.ranges().keySet()) {
            column(header, c, "range");
        }
        spec.pii().check(header, spec.label(), spec.group());
        boolean hashGroup = spec.group() != null && spec.pii().rule(spec.group()) == PiiRule.HASH;
        if (hashGroup && hasher == null) {
            throw new EdgeLoopException(ErrorCode.PII_RULE_INVALID, "the group column '" + spec.group()
                    + "' is hashed, which needs the server's PII key (run with the server's --data-dir)");
        }
        List<Integer> featureCols = new ArrayList<>();
        List<String> featureNames = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            if (c != labelCol && c != groupCol && spec.pii().rule(header.get(c)) == null) {
                featureCols.add(c);
                featureNames.add(header.get(c));
            }
        }
        int width = featureCols.size();
        Set<List<String>> seen = new HashSet<>();
        int rowsRead = 0;
        int duplicates = 0;
        Map<String, Integer> dropped = new LinkedHashMap<>();
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            int lineNo = i + 1;
            if (lines.get(i).isBlank()) {
                continue;
            }
            rowsRead++;
            List<String> fields = CsvLine.split(lines.get(i), lineNo);
            if (fields.size() != header.size()) {
                throw invalid("line " + lineNo + " has " + fields.size() + " fields; the header has " + header.size());
            }
            if (!seen.add(fields)) {
                duplicates++;
                continue;
            }
            String label = fields.get(labelCol);
            if (isMissing(label)) {
                dropped.merge(spec.label(), 1, Integer::sum);
                continue;
            }
            double[] values = new double[width];
            String dropFor = null;
            for (int f = 0; f < width; f++) {
                String name = featureNames.get(f);
                String raw = fields.get(featureCols.get(f));
                if (isMissing(raw)) {
                    values[f] = Double.NaN;
                    if (spec.policy(name) == CsvSpec.MissingPolicy.DROP && dropFor == null) {
                        dropFor = name;
                    }
                    continue;
                }
                values[f] = number(raw, lineNo, name);
                double[] range = spec.ranges().get(name);
                if (range != null && (values[f] < range[0] || values[f] > range[1])) {
                    throw invalid("line " + lineNo + ", column '" + name + "': " + raw + " is outside ["
                            + range[0] + ", " + range[1] + "]");
                }
            }
            if (!spec.classification()) {
                double target = number(label, lineNo, spec.label());
                double[] range = spec.ranges().get(spec.label());
                if (range != null && (target < range[0] || target > range[1])) {
                    throw invalid("line " + lineNo + ", column '" + spec.label() + "': " + label + " is outside ["
                            + range[0] + ", " + range[1] + "]");
                }
            }
            if (dropFor != null) {
                dropped.merge(dropFor, 1, Integer::sum);
                continue;
            }
            rows.add(values);
            labels.add(label);
            if (groupCol >= 0) {
                groups.add(hashGroup ? hasher.hash(fields.get(groupCol)) : fields.get(groupCol));
            }
        }
        if (rows.isEmpty()) {
            throw invalid(spec.path() + " has no usable rows after cleaning (" + rowsRead + " read)");
        }
        Map<String, Integer> imputed = new LinkedHashMap<>();
        Map<String, Double> imputedWith = new LinkedHashMap<>();
        impute(spec, featureNames, rows, imputed, imputedWith);
        Dataset dataset = build(spec, featureNames, rows, labels);
        return new TabularData(dataset, groups, new CleaningReport(rowsRead, rows.size(), duplicates, dropped, imputed,
                imputedWith));
    }

    private static void impute(CsvSpec spec, List<String> names, List<double[]> rows, Map<String, Integer> imputed,
                               Map<String, Double> imputedWith) {
        for (int f = 0; f < names.size(); f++) {
            CsvSpec.MissingPolicy policy = spec.policy(names.get(f));
            if (policy == CsvSpec.MissingPolicy.DROP) {
                continue;
            }
            final int col = f;
            double[] present = rows.stream().mapToDouble(r -> r[col]).filter(v -> !Double.isNaN(v)).toArray();
            double fill = switch (policy) {
                case ZERO -> 0;
                case MEAN -> Arrays.stream(present).average().orElse(0);
                case MEDIAN -> median(present);
                case DROP -> throw new IllegalStateException();
            };
            int count = 0;
            for (double[] r : rows) {
                if (Double.isNaN(r[col])) {
                    r[col] = fill;
                    count++;
                }
            }
            if (count > 0) {
                imputed.put(names.get(f), count);
                imputedWith.put(names.get(f), fill);
            }
        }
    }

    private static Dataset build(CsvSpec spec, List<String> names, List<double[]> rows, List<String> labels) {
        int width = names.size();
        float[] x = new float[rows.size() * width];
        float[] y = new float[rows.size()];
        List<String> classes = spec.classification() ? new ArrayList<>(new TreeSet<>(labels)) : List.of();
        for (int r = 0; r < rows.size(); r++) {
            for (int f = 0; f < width; f++) {
                x[r * width + f] = (float) rows.get(r)[f];
            }
            y[r] = spec.classification() ? classes.indexOf(labels.get(r)) : Float.parseFloat(labels.get(r).trim());
        }
        return new Dataset("csv:" + spec.path(), x, new long[] {width}, y, classes, names);
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double number(String raw, int lineNo, String column) throws EdgeLoopException {
        try {
            double v = Double.parseDouble(raw.trim());
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw invalid("line " + lineNo + ", column '" + column + "': '" + raw + "' is not a number");
        }
    }

    private static boolean isMissing(String raw) {
        return MISSING.contains(raw.trim().toLowerCase(java.util.Locale.ROOT));
    }

    private static int column(List<String> header, String name, String option) throws EdgeLoopException {
        int c = header.indexOf(name);
        if (c < 0) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, option + " column '" + name
                    + "' is not in the header " + header);
        }
        return c;
    }

    private static EdgeLoopException invalid(String message) {
        return new EdgeLoopException(ErrorCode.DATASET_INVALID, message);
    }
}
