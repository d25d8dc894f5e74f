package io.edgeloop.server.packages;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.db.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Devices whose desired model is the package. */
public final class DesiredModelReferences implements PackageReferences {
    private final Database db;

    public DesiredModelReferences(Database db) {
        this.db = db;
    }

    @Override
    public List<String> referencesTo(String name, String version) throws EdgeLoopException {
        return db.transaction(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM devices WHERE desired_package = ?"
                    + " AND desired_version = ? ORDER BY id FETCH FIRST 20 ROWS ONLY")) {
                ps.setString(1, name);
                ps.setString(2, version);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add("device " + rs.getString(1) + " (desired model)");
                    }
                }
            }
            return out;
        });
    }
}
