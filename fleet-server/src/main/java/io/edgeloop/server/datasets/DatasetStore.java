package io.edgeloop.server.datasets;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.packager.data.CleaningReport;
import io.edgeloop.packager.data.CsvDatasetReader;
import io.edgeloop.packager.data.CsvSpec;
import io.edgeloop.packager.data.DatasetDigest;
import io.edgeloop.packager.data.PiiHasher;
import io.edgeloop.packager.data.PiiRule;
import io.edgeloop.packager.data.PiiRules;
import io.edgeloop.packager.data.TabularData;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.db.SqlDialect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Datasets imported into the server (V7's {@code datasets} table) and their cleaned CSV files,
 * kept by content in {@code DATA_DIR/datasets/sha256/}. An import arrives already cleaned by its
 * PII rules ({@code DatasetUpload} streams it through them); here it is read once more for its
 * data-quality report and lineage digest, moved into place, recorded and audited in one
 * transaction. {@code dataset:NAME} resolves to the stored file for training.
 */
public final class DatasetStore implements StoredDatasets {
    public static final String SPEC_PREFIX = "dataset:";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] COLUMNS = {"name", "label_column", "task", "group_column", "file_sha256",
        "dataset_sha256", "size_bytes", "row_count", "columns_json", "rules_json", "report_json", "created_ms", "created_by"};
    private static final String[] TYPES = {"VARCHAR(64)", "VARCHAR(256)", "VARCHAR(16)", "VARCHAR(256)", "VARCHAR(64)",
        "VARCHAR(64)", "BIGINT", "INT", "TEXT", "TEXT", "TEXT", "BIGINT", "VARCHAR(160)"};

    private final Database db;
    private final AuditLog audit;
    private final Path dir;
    private final Clock clock;

    /** @param dir the store's folder ({@code DATA_DIR/datasets}) */
    public DatasetStore(Database db, AuditLog audit, Path dir, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.dir = dir;
        this.clock = clock;
    }

    /** A fresh file for the cleaned text of one import, in the store's incoming folder. */
    public Path newUpload() throws EdgeLoopException {
        try {
            Path incoming = Files.createDirectories(dir.resolve("incoming"));
            return incoming.resolve(UUID.randomUUID() + ".csv.part");
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot create " + dir.resolve("incoming") + ": " + e, e);
        }
    }

    public static void discard(Path upload) {
        try {
            Files.deleteIfExists(upload);
        } catch (IOException e) {
            // an orphan in incoming/ holds no raw PII, only cleaned text
        }
    }

    /** Refuses a name already taken, before the body is read. */
    public void refuseTaken(String name) throws EdgeLoopException {
        if (find(name).isPresent()) {
            throw taken(name);
        }
    }

    /**
     * Records a cleaned upload: its data-quality report and digest, the file moved to its content
     * address, the row and the audit entry (with the figures) in one transaction. The upload is
     * discarded when it cannot be read as the import asked.
     */
    public StoredDataset accept(Actor actor, DatasetImport request, Path upload, String sha256, long size, int rows,
                                List<String> columns) throws EdgeLoopException {
        PiiRules hashed = hashedOnly(request.rules());
        TabularData data;
        try {
            data = new CsvDatasetReader(PiiHasher.ALREADY_HASHED).read(new CsvSpec(upload, request.label(),
                    request.classification(), request.group(), Map.of(), Map.of(), hashed));
        } catch (EdgeLoopException | RuntimeException e) {
            discard(upload);
            throw e;
        }
        Path target = file(sha256);
        try {
            Files.createDirectories(target.getParent());
            Files.move(upload, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            discard(upload);
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot store " + target + ": " + e, e);
        }
        Map<String, String> rules = new LinkedHashMap<>();
        request.rules().rules().forEach((c, r) -> rules.put(c, r.id()));
        StoredDataset stored = new StoredDataset(request.name(), request.label(), request.task(), request.group(), sha256,
                DatasetDigest.sha256(data.dataset()), size, rows, roles(columns, request), rules, data.report(),
                clock.instant().toString(), actor.name());
        db.transaction(c -> {
            insert(c, stored);
            audit.record(c, actor, "dataset.import", "dataset:" + stored.name(), null, figures(stored));
            return null;
        });
        return stored;
    }

    public List<StoredDataset> list() throws EdgeLoopException {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM datasets ORDER BY name")) {
                return rows(ps);
            }
        });
    }

    public StoredDataset get(String name) throws EdgeLoopException {
        return find(name).orElseThrow(() -> new EdgeLoopException(ErrorCode.DATASET_NOT_FOUND, "no dataset named '"
                + name + "'"));
    }

    public Optional<StoredDataset> find(String name) throws EdgeLoopException {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM datasets WHERE name = ?")) {
                ps.setString(1, name);
                return rows(ps).stream().findFirst();
            }
        });
    }

    /** The stored file of {@code name} as a CSV spec: its hashed columns are identifiers, already hashed. */
    @Override
    public CsvSpec csv(String name) throws EdgeLoopException {
        StoredDataset d = get(name);
        Map<String, PiiRule> hashed = new LinkedHashMap<>();
        d.rules().forEach((c, r) -> {
            if (r.equals(PiiRule.HASH.id())) {
                hashed.put(c, PiiRule.HASH);
            }
        });
        Path file = file(d.sha256());
        if (!Files.isReadable(file)) {
            throw new EdgeLoopException(ErrorCode.DATASET_UNAVAILABLE, "dataset '" + name + "' has no file at " + file
                    + " (was the data folder moved?)");
        }
        return new CsvSpec(file, d.label(), d.task().equals("classification"), d.group(), Map.of(), Map.of(),
                new PiiRules(hashed));
    }

    private Path file(String sha256) {
        return dir.resolve("sha256").resolve(sha256 + ".csv");
    }

    private static PiiRules hashedOnly(PiiRules rules) {
        Map<String, PiiRule> out = new LinkedHashMap<>();
        rules.rules().forEach((c, r) -> {
            if (r == PiiRule.HASH) {
                out.put(c, r);
            }
        });
        return new PiiRules(out);
    }

    private static List<StoredDataset.Column> roles(List<String> columns, DatasetImport request) {
        List<StoredDataset.Column> out = new ArrayList<>();
        for (String c : columns) {
            StoredDataset.Role role = c.equals(request.label()) ? StoredDataset.Role.LABEL
                    : c.equals(request.group()) ? StoredDataset.Role.GROUP
                    : request.rules().rule(c) == PiiRule.HASH ? StoredDataset.Role.HASHED : StoredDataset.Role.FEATURE;
            out.add(new StoredDataset.Column(c, role));
        }
        return out;
    }

    /** What the audit entry shows: the figures of the import, never a value of a row. */
    private static Map<String, Object> figures(StoredDataset d) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", d.name());
        f.put("label", d.label());
        f.put("sha256", d.sha256());
        f.put("datasetSha256", d.datasetSha256());
        f.put("bytes", d.sizeBytes());
        f.put("rows", d.rows());
        f.put("columns", d.columns().stream().map(StoredDataset.Column::name).toList());
        f.put("rules", d.rules());
        f.put("rowsRead", d.report().rowsRead());
        f.put("rowsKept", d.report().rowsKept());
        f.put("duplicatesRemoved", d.report().duplicatesRemoved());
        f.put("rowsDroppedForMissing", d.report().rowsDroppedForMissing());
        return f;
    }

    private void insert(Connection c, StoredDataset d) throws SQLException, EdgeLoopException {
        String sql = SqlDialect.of(c).insertIgnore("datasets", COLUMNS, TYPES, new String[] {"name"});
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, d.name());
            ps.setString(2, d.label());
            ps.setString(3, d.task());
            ps.setString(4, d.group());
            ps.setString(5, d.sha256());
            ps.setString(6, d.datasetSha256());
            ps.setLong(7, d.sizeBytes());
            ps.setInt(8, d.rows());
            ps.setString(9, json(d.columns()));
            ps.setString(10, json(d.rules()));
            ps.setString(11, json(d.report()));
            ps.setLong(12, java.time.Instant.parse(d.createdAt()).toEpochMilli());
            ps.setString(13, d.createdBy());
            if (ps.executeUpdate() == 0) {
                throw taken(d.name());
            }
        }
    }

    private static List<StoredDataset> rows(PreparedStatement ps) throws SQLException {
        List<StoredDataset> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredDataset(rs.getString("name"), rs.getString("label_column"), rs.getString("task"),
                        rs.getString("group_column"), rs.getString("file_sha256"), rs.getString("dataset_sha256"),
                        rs.getLong("size_bytes"), rs.getInt("row_count"),
                        read(rs.getString("columns_json"), new TypeReference<List<StoredDataset.Column>>() { }),
                        read(rs.getString("rules_json"), new TypeReference<Map<String, String>>() { }),
                        read(rs.getString("report_json"), new TypeReference<CleaningReport>() { }),
                        java.time.Instant.ofEpochMilli(rs.getLong("created_ms")).toString(), rs.getString("created_by")));
            }
        }
        return out;
    }

    private static EdgeLoopException taken(String name) {
        return new EdgeLoopException(ErrorCode.DATASET_ALREADY_EXISTS, "a dataset named '" + name + "' is already stored");
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON-serialisable: " + e.getMessage(), e);
        }
    }

    private static <T> T read(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt dataset JSON column: " + e.getMessage(), e);
        }
    }
}
