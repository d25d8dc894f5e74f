package io.edgeloop.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * What a section's programs printed, in a form the report can lay out: tables of figures parsed
 * from their output, the lines quoted verbatim, and notes (what could not be found, what the
 * figures mean).
 */
public final class Figures {
    /** One table: a caption, the column names and the rows (cells as printed). */
    public record Table(String caption, List<String> header, List<List<String>> rows) {
        public Table {
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
        }
    }

    private final List<Table> tables = new ArrayList<>();
    private final List<String> verbatim = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Figures table(Table table) {
        if (!table.rows().isEmpty()) {
            tables.add(table);
        }
        return this;
    }

    public Figures verbatim(List<String> lines) {
        verbatim.addAll(lines);
        return this;
    }

    public Figures note(String note) {
        notes.add(note);
        return this;
    }

    public List<Table> tables() {
        return List.copyOf(tables);
    }

    public List<String> verbatim() {
        return List.copyOf(verbatim);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public boolean empty() {
        return tables.isEmpty() && verbatim.isEmpty();
    }
}
