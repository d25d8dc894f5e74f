package io.edgeloop.packager.data;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code csv:} dataset name and its options:
 * {@code csv:PATH?label=COL[&task=classification|regression][&group=COL][&missing=COL:POLICY,…][&range=COL:MIN:MAX,…][&pii=COL:drop|hash,…]}.
 * Every other column is a numeric feature, except the columns with a {@link PiiRule}: a dropped
 * column is never read, a hashed one is an identifier (never a feature; its hashed values may be
 * the group). A missing value (empty, {@code NA}, {@code NaN},
 * {@code null}, {@code ?}) is handled by its column's policy: {@code drop} the row (default),
 * or impute the column's {@code mean}, {@code median} or {@code zero}.
 *
 * @param group optional column of group membership for fairness metrics (not a feature)
 * @param pii   per-column PII rules, applied before anything is derived from the rows
 */
public record CsvSpec(Path path, String label, boolean classification, String group,
                      Map<String, MissingPolicy> missing, Map<String, double[]> ranges, PiiRules pii) {

    /** What to do with a missing value in a column. */
    public enum MissingPolicy { DROP, MEAN, MEDIAN, ZERO }

    public CsvSpec {
        missing = Map.copyOf(missing);
        ranges = Map.copyOf(ranges);
        pii = pii == null ? PiiRules.NONE : pii;
    }

    public MissingPolicy policy(String column) {
        return missing.getOrDefault(column, MissingPolicy.DROP);
    }

    public static CsvSpec parse(String spec) throws EdgeLoopException {
        if (!spec.startsWith("csv:")) {
            throw invalid("'" + spec + "' is not a csv: dataset");
        }
        String rest = spec.substring(4);
        int q = rest.indexOf('?');
        Path path = Path.of(q < 0 ? rest : rest.substring(0, q));
        String label = null;
        String group = null;
        boolean classification = true;
        Map<String, MissingPolicy> missing = new LinkedHashMap<>();
        Map<String, double[]> ranges = new LinkedHashMap<>();
        List<String> pii = new ArrayList<>();
        if (q >= 0) {
            for (String option : rest.substring(q + 1).split("&")) {
                int eq = option.indexOf('=');
                if (eq < 0) {
                    throw invalid("option '" + option + "' needs a value (NAME=VALUE)");
                }
                String key = option.substring(0, eq);
                String value = option.substring(eq + 1);
                switch (key) {
                    case "label" -> label = value;
                    case "group" -> group = value;
                    case "task" -> classification = switch (value) {
                        case "classification" -> true;
                        case "regression" -> false;
                        default -> throw invalid("task must be classification or regression, not '" + value + "'");
                    };
                    case "missing" -> {
                        for (String item : value.split(",")) {
                            String[] p = item.split(":");
                            if (p.length != 2) {
                                throw invalid("missing=" + item + " must be COLUMN:drop|mean|median|zero");
                            }
                            try {
                                missing.put(p[0], MissingPolicy.valueOf(p[1].toUpperCase(Locale.ROOT)));
                            } catch (IllegalArgumentException e) {
                                throw invalid("missing-value policy '" + p[1] + "' is not drop, mean, median or zero");
                            }
                        }
                    }
                    case "range" -> {
                        for (String item : value.split(",")) {
                            String[] p = item.split(":");
                            try {
                                ranges.put(p[0], new double[] {Double.parseDouble(p[1]), Double.parseDouble(p[2])});
                            } catch (RuntimeException e) {
                                throw invalid("range=" + item + " must be COLUMN:MIN:MAX");
                            }
                        }
                    }
                    case "pii" -> pii.add(value);
                    default -> throw invalid("unknown csv option '" + key + "'; use label, task, group, missing, range, pii");
                }
            }
        }
        if (label == null) {
            throw invalid("name the label column: csv:" + path + "?label=COLUMN");
        }
        return new CsvSpec(path, label, classification, group, missing, ranges, PiiRules.parse(pii));
    }

    private static EdgeLoopException invalid(String message) {
        return new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
