package io.edgeloop.packager.data;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-column PII rules, written {@code COLUMN:drop|hash[,COLUMN:drop|hash…]} (the {@code pii=}
 * option of a {@code csv:} dataset and of {@code POST /api/v1/datasets}). Checked against the
 * header before any row is read: a rule for a column the header lacks, for the label column, or
 * dropping the group column is refused with {@link ErrorCode#PII_RULE_INVALID}.
 */
public record PiiRules(Map<String, PiiRule> rules) {
    public static final PiiRules NONE = new PiiRules(Map.of());

    public PiiRules {
        rules = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rules));
    }

    /** Parses one or more comma-separated rules; null or blank is no rule. */
    public static PiiRules parse(String text) throws EdgeLoopException {
        return parse(text == null || text.isBlank() ? List.of() : List.of(text));
    }

    /** Parses rules given as several options (each may hold comma-separated rules). */
    public static PiiRules parse(List<String> texts) throws EdgeLoopException {
        Map<String, PiiRule> out = new LinkedHashMap<>();
        for (String text : texts) {
            for (String item : text.split(",")) {
                String s = item.strip();
                if (s.isEmpty()) {
                    continue;
                }
                int colon = s.lastIndexOf(':');
                if (colon <= 0) {
                    throw invalid("PII rule '" + s + "' must be COLUMN:drop or COLUMN:hash");
                }
                String column = s.substring(0, colon).strip();
                String action = s.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
                PiiRule rule = switch (action) {
                    case "drop" -> PiiRule.DROP;
                    case "hash" -> PiiRule.HASH;
                    default -> throw invalid("PII rule '" + s + "': '" + action + "' is not drop or hash");
                };
                PiiRule before = out.put(column, rule);
                if (before != null && before != rule) {
                    throw invalid("column '" + column + "' has two PII rules (" + before.id() + " and " + rule.id() + ")");
                }
            }
        }
        return new PiiRules(out);
    }

    /** The rules checked against a header, the label column and the optional group column. */
    public void check(List<String> header, String label, String group) throws EdgeLoopException {
        for (Map.Entry<String, PiiRule> e : rules.entrySet()) {
            String column = e.getKey();
            if (!header.contains(column)) {
                throw invalid("PII rule for column '" + column + "': the header has no such column " + header);
            }
            if (column.equals(label)) {
                throw invalid("PII rule for column '" + column + "': it is the label column; a label cannot be "
                        + "dropped or hashed (choose another label, or drop the column before import)");
            }
            if (column.equals(group) && e.getValue() == PiiRule.DROP) {
                throw invalid("PII rule '" + column + ":drop' removes the group column; hash it instead to keep "
                        + "per-group metrics without the raw values");
            }
        }
    }

    public PiiRule rule(String column) {
        return rules.get(column);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The rules in their written form ({@code email:drop,id:hash}). */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        rules.forEach((c, r) -> b.append(b.length() == 0 ? "" : ",").append(c).append(':').append(r.id()));
        return b.toString();
    }

    private static EdgeLoopException invalid(String message) {
        return new EdgeLoopException(ErrorCode.PII_RULE_INVALID, message);
    }
}
