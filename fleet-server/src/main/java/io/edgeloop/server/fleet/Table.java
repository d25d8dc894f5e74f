package io.edgeloop.server.fleet;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A plain text table: a header row and columns padded to their widest cell. */
final class Table {
    private final List<String> headers = new ArrayList<>();
    private final List<Function<JsonNode, String>> cells = new ArrayList<>();

    Table column(String header, Function<JsonNode, String> cell) {
        headers.add(header);
        cells.add(cell);
        return this;
    }

    /** A column showing a text field, "-" when absent or null. */
    Table field(String header, String field) {
        return column(header, n -> text(n, field));
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "-" : v.asText();
    }

    void print(PrintWriter out, Iterable<JsonNode> rows) {
        List<String[]> lines = new ArrayList<>();
        lines.add(headers.toArray(String[]::new));
        for (JsonNode row : rows) {
            String[] line = new String[cells.size()];
            for (int i = 0; i < line.length; i++) {
                line[i] = cells.get(i).apply(row);
            }
            lines.add(line);
        }
        int[] widths = new int[headers.size()];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                b.append(i == line.length - 1 ? line[i] : String.format("%-" + widths[i] + "s  ", line[i]));
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
