package io.edgeloop.server.rollout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The registered, not revoked devices a rollout's target names now. */
final class TargetResolver {
    Set<String> resolve(Connection c, RolloutDefinition.Target t) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT d.id FROM devices d WHERE d.revoked_at IS NULL");
        List<String> args = new ArrayList<>();
        if (t.group() != null) {
            sql.append(" AND d.group_name = ?");
            args.add(t.group());
        } else if (t.tags() != null) {
            for (Map.Entry<String, String> e : t.tags().entrySet()) {
                sql.append(" AND EXISTS (SELECT 1 FROM device_tags g WHERE g.device_id = d.id AND g.tag_key = ?"
                        + " AND g.tag_value = ?)");
                args.add(e.getKey());
                args.add(e.getValue());
            }
        } else {
            sql.append(" AND d.id IN (");
            for (int i = 0; i < t.devices().size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
                args.add(t.devices().get(i));
            }
            sql.append(')');
        }
        sql.append(" ORDER BY d.id");
        Set<String> out = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Device ids of {@code ids} that are not registered (or revoked). */
    List<String> unknown(Connection c, List<String> ids) throws SQLException {
        Set<String> known = resolve(c, new RolloutDefinition.Target(null, null, ids));
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            if (!known.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** The model version each device reports running for {@code model} (device_state), where known. */
    Map<String, String> reportedVersions(Connection c, String model) throws SQLException {
        Map<String, String> out = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT device_id, model_version FROM device_state"
                + " WHERE model_name = ?")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(2) != null) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return out;
    }
}
