package io.edgeloop.server.rollout;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.packages.PackageReferences;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Live rollouts (not yet ended) refer to their package, so the repository keeps it. */
public final class RolloutReferences implements PackageReferences {
    private final Database db;

    public RolloutReferences(Database db) {
        this.db = db;
    }

    @Override
    public List<String> referencesTo(String name, String version) throws EdgeLoopException {
        return db.transaction(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, state FROM rollouts WHERE package_name = ?"
                    + " AND package_version = ? AND state IN ('SCHEDULED', 'AWAITING_APPROVAL', 'RUNNING', 'PAUSED',"
                    + " 'ROLLING_BACK') ORDER BY created_ms")) {
                ps.setString(1, name);
                ps.setString(2, version);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add("rollout " + rs.getString(1) + " (" + rs.getString(2) + ")");
                    }
                }
            }
            return out;
        });
    }
}
