package io.edgeloop.server.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with a header row, columns as wide as their widest cell. */
final class SummaryTable {
    private final List<String[]> rows = new ArrayList<>();

    SummaryTable(String... header) {
        rows.add(header);
    }

    void row(String... cells) {
        rows.add(cells);
    }

    void print(PrintStream out, String indent) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (int n = 0; n < rows.size(); n++) {
            StringBuilder b = new StringBuilder(indent);
            for (int i = 0; i < columns; i++) {
                b.append(String.format("%-" + width[i] + "s", rows.get(n)[i])).append(i + 1 < columns ? " | " : "");
            }
            out.println(b.toString().stripTrailing());
            if (n == 0) {
                StringBuilder rule = new StringBuilder(indent);
                for (int i = 0; i < columns; i++) {
                    rule.append("-".repeat(width[i])).append(i + 1 < columns ? "-+-" : "");
                }
                out.println(rule);
            }
        }
    }
}
