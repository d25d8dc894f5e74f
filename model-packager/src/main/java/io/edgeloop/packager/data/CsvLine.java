package io.edgeloop.packager.data;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.List;

/** Splits one RFC 4180 CSV line: comma-separated, fields optionally in double quotes ("" escapes "). */
final class CsvLine {

    private CsvLine() {
    }

    static List<String> split(String line, int lineNo) throws EdgeLoopException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                fields.add(field.toString().trim());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new EdgeLoopException(ErrorCode.DATASET_INVALID, "line " + lineNo + " has an unclosed quote");
        }
        fields.add(field.toString().trim());
        return fields;
    }

    /** Joins fields into one line, quoting a field that holds a comma, a quote or leading/trailing blanks. */
    static String join(List<String> fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            if (i > 0) {
                line.append(',');
            }
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || (!f.isEmpty() && !f.strip().equals(f))) {
                line.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                line.append(f);
            }
        }
        return line.toString();
    }
}
