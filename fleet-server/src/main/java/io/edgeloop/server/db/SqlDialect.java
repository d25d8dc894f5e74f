package io.edgeloop.server.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The one statement H2 and PostgreSQL spell differently: an insert that skips a row whose key
 * exists. PostgreSQL's {@code ON CONFLICT DO NOTHING} is safe against a concurrent replica
 * inserting the same key; H2 has no {@code ON CONFLICT} outside its PostgreSQL mode, so it gets the
 * standard {@code MERGE … WHEN NOT MATCHED THEN INSERT} (one writer per embedded database).
 * Everything else the server's stores say is standard SQL both accept, {@code MERGE} included
 * (PostgreSQL 15 has it).
 */
public enum SqlDialect {
    H2, POSTGRESQL;

    /** The dialect of the database behind {@code c}. */
    public static SqlDialect of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName();
        return product != null && product.toLowerCase(java.util.Locale.ROOT).contains("postgres") ? POSTGRESQL : H2;
    }

    /**
     * {@code INSERT} of {@code columns} into {@code table}, skipping rows whose {@code keys}
     * exist; each column is a {@code ?} parameter cast to its SQL type so both databases type
     * the parameters alike. The update count is 1 for an inserted row, 0 for a skipped one.
     */
    public String insertIgnore(String table, String[] columns, String[] types, String[] keys) {
        return insertIgnore(table, columns, types, keys, 1);
    }

    /**
     * The same for {@code rows} rows in one statement (parameters row after row), whose update
     * count is the number of rows inserted. The rows must not repeat a key among themselves: H2's
     * {@code MERGE} would insert both and fail on the key.
     */
    public String insertIgnore(String table, String[] columns, String[] types, String[] keys, int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be positive, was " + rows);
        }
        StringBuilder names = new StringBuilder();
        StringBuilder params = new StringBuilder("(");
        StringBuilder source = new StringBuilder();
        for (int i = 0; i < columns.length; i++) {
            String sep = i == 0 ? "" : ", ";
            names.append(sep).append(columns[i]);
            params.append(sep).append("CAST(? AS ").append(types[i]).append(')');
            source.append(sep).append("s.").append(columns[i]);
        }
        params.append(')');
        StringBuilder values = new StringBuilder(params.length() * rows + rows * 2);
        for (int r = 0; r < rows; r++) {
            values.append(r == 0 ? "" : ", ").append(params);
        }
        if (this == POSTGRESQL) {
            return "INSERT INTO " + table + " (" + names + ") VALUES " + values + " ON CONFLICT DO NOTHING";
        }
        StringBuilder on = new StringBuilder();
        for (int i = 0; i < keys.length; i++) {
            on.append(i == 0 ? "" : " AND ").append("t.").append(keys[i]).append(" = s.").append(keys[i]);
        }
        return "MERGE INTO " + table + " t USING (VALUES " + values + ") AS s(" + names + ") ON " + on
                + " WHEN NOT MATCHED THEN INSERT (" + names + ") VALUES (" + source + ")";
    }
}
