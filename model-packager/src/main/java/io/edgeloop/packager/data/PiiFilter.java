package io.edgeloop.packager.data;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies {@link PiiRules} to CSV text line by line, for storing a dataset without its personal
 * data: dropped columns are left out of every line, hashed ones carry their {@link PiiHasher}
 * value. Built from the header line (which checks the rules against it); each later line is
 * transformed on its own, so a stream is cleaned as it arrives and the raw text is never kept.
 */
public final class PiiFilter {
    private final List<String> header;
    private final PiiRule[] ruleOf;
    private final PiiHasher hasher;
    private final List<String> kept;

    private PiiFilter(List<String> header, PiiRule[] ruleOf, PiiHasher hasher, List<String> kept) {
        this.header = header;
        this.ruleOf = ruleOf;
        this.hasher = hasher;
        this.kept = kept;
    }

    /**
     * @param label the label column, which must be in the header and may have no rule
     * @param group the group column or null
     */
    public static PiiFilter forHeader(String headerLine, PiiRules rules, String label, String group, PiiHasher hasher)
            throws EdgeLoopException {
        List<String> header = CsvLine.split(headerLine, 1);
        if (!header.contains(label)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "label column '" + label + "' is not in the header "
                    + header);
        }
        if (group != null && !header.contains(group)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "group column '" + group + "' is not in the header "
                    + header);
        }
        rules.check(header, label, group);
        PiiRule[] ruleOf = new PiiRule[header.size()];
        List<String> kept = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            ruleOf[c] = rules.rule(header.get(c));
            if (ruleOf[c] != PiiRule.DROP) {
                kept.add(header.get(c));
            }
        }
        return new PiiFilter(header, ruleOf, hasher, List.copyOf(kept));
    }

    /** The columns of the cleaned text, in order. */
    public List<String> columns() {
        return kept;
    }

    public String headerLine() {
        return CsvLine.join(kept);
    }

    /** One data line cleaned; {@code lineNo} (1-based) names it in errors. */
    public String apply(String line, int lineNo) throws EdgeLoopException {
        List<String> fields = CsvLine.split(line, lineNo);
        if (fields.size() != header.size()) {
            throw new EdgeLoopException(ErrorCode.DATASET_INVALID, "line " + lineNo + " has " + fields.size()
                    + " fields; the header has " + header.size());
        }
        List<String> out = new ArrayList<>(kept.size());
        for (int c = 0; c < fields.size(); c++) {
            if (ruleOf[c] == PiiRule.DROP) {
                continue;
            }
            out.add(ruleOf[c] == PiiRule.HASH ? hasher.hash(fields.get(c)) : fields.get(c));
        }
        return CsvLine.join(out);
    }
}
