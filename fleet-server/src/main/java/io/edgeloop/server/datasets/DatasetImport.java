package io.edgeloop.server.datasets;

import io.edgeloop.packager.data.PiiRules;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.util.regex.Pattern;

/**
 * What a dataset import asks for, checked before a byte of the body is read: a name of 1-64
 * letters, digits, dots, dashes or underscores, the label column, classification or regression,
 * an optional group column and the PII rules.
 */
public record DatasetImport(String name, String label, boolean classification, String group, PiiRules rules) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public static DatasetImport of(String name, String label, String task, String group, PiiRules rules)
            throws EdgeLoopException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "name=" + (name == null ? "(missing)" : "'" + name + "'")
                    + ": a dataset needs a name of 1-64 letters, digits, '.', '-' or '_'");
        }
        if (label == null || label.isBlank()) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "label=COLUMN is required: name the label column");
        }
        boolean classification = switch (task == null ? "classification" : task) {
            case "classification" -> true;
            case "regression" -> false;
            default -> throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "task must be classification or regression, not '"
                    + task + "'");
        };
        return new DatasetImport(name, label, classification, group == null || group.isBlank() ? null : group, rules);
    }

    public String task() {
        return classification ? "classification" : "regression";
    }
}
