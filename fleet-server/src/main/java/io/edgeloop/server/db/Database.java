package io.edgeloop.server.db;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.flywaydb.core.Flyway;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The server's relational store: an embedded H2 file database under the data directory by
 * default, in-memory for tests, or any JDBC URL (PostgreSQL at fleet scale). Flyway brings the
 * schema up to date on open, so every replica and the embedded default share one schema.
 * Hands out short-lived connections; close the database to release an in-memory one.
 */
public final class Database implements AutoCloseable {
    private final String url;
    private final String user;
    private final String password;
    // Keeps an in-memory H2 database alive between the short-lived connections.
    private final Connection keepAlive;

    private Database(String url, String user, String password) throws EdgeLoopException {
        this.url = url;
        this.user = user;
        this.password = password;
        try {
            keepAlive = DriverManager.getConnection(url, user, password);
            Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").load().migrate();
        } catch (SQLException | RuntimeException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot open database " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where the server's commands keep the embedded database, runs and models unless told
     * otherwise (relative to the working directory).
     */
    public static final Path DEFAULT_DATA_DIR = Path.of("edgeloop-data");

    /** An embedded H2 file database {@code dir/edgeloop}. */
    public static Database embedded(Path dir) throws EdgeLoopException {
        // WRITE_DELAY=0: H2 otherwise keeps the last ~0.5 s of commits in memory, and a SIGKILL loses
        // telemetry the broker was already told is stored.
        return new Database("jdbc:h2:file:" + dir.toAbsolutePath().resolve("edgeloop") + ";AUTO_SERVER=FALSE;WRITE_DELAY=0",
                "sa", "");
    }

    /** A private in-memory H2 database, gone when closed. */
    public static Database inMemory(String name) throws EdgeLoopException {
        return new Database("jdbc:h2:mem:" + name, "sa", "");
    }

    public static Database of(String jdbcUrl, String user, String password) throws EdgeLoopException {
        return new Database(jdbcUrl, user, password);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Work on one connection inside a transaction. */
    public interface Work<T> {
        T run(Connection c) throws SQLException, EdgeLoopException;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it
     * throws. SQL failures become {@code STORAGE_FAILED}; an {@link EdgeLoopException} passes.
     */
    public <T> T transaction(Work<T> work) throws EdgeLoopException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | EdgeLoopException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "database error: " + e.getMessage(), e);
        }
    }

    public String url() {
        return url;
    }

    @Override
    public void close() throws EdgeLoopException {
        try {
            keepAlive.close();
        } catch (SQLException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot close database " + url, e);
        }
    }
}
