package io.edgeloop.agent.buffer;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The agent's one RocksDB database, with a column family per purpose: {@code capture} (sampled
 * inputs and outputs), {@code outbox} (telemetry waiting for the broker's acknowledgement) and
 * {@code state} (job progress, download offsets). The WAL is always on; its sync follows the
 * {@link SyncPolicy}.
 */
public final class AgentDb implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentDb.class);
    static final String CAPTURE = "capture";
    static final String OUTBOX = "outbox";
    static final String STATE = "state";

    private final Path dir;
    private final BufferOptions options;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final WriteOptions writeOptions;
    private final ScheduledExecutorService ownSyncer;
    private final ScheduledFuture<?> syncTask;
    /** Guards the handles: a WAL sync never runs on a closed database. */
    private final Object lifecycle = new Object();
    private boolean closed;

    /** Opens (or creates) the database in {@code dir} ({@code data-dir/db} in an agent). */
    public AgentDb(Path dir, BufferOptions options) throws EdgeLoopException {
        this(dir, options, null);
    }

    /**
     * Opens the database, syncing its WAL under {@link SyncPolicy#INTERVAL} on {@code sharedSyncer}
     * (which stays its owner's), or on a thread of its own when that is null.
     */
    public AgentDb(Path dir, BufferOptions options, ScheduledExecutorService sharedSyncer) throws EdgeLoopException {
        this.dir = dir;
        // Opened without a device profile to fill a quota of 0: the fallback quota, never "evict all".
        this.options = options.orProfileQuota(BufferOptions.QUOTA_FROM_PROFILE);
        RocksDB.loadLibrary();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot create " + dir, e);
        }
        dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setKeepLogFileNum(3).setMaxTotalWalSize(64L * 1024 * 1024);
        // Small memtables: the agent writes little, and every column family's buffers are resident.
        cfOptions = new ColumnFamilyOptions().setWriteBufferSize(1L * 1024 * 1024).setMaxWriteBufferNumber(2);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String name : List.of("default", CAPTURE, OUTBOX, STATE)) {
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), cfOptions));
        }
        try {
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            cfOptions.close();
            dbOptions.close();
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot open RocksDB at " + dir + ": "
                    + e.getMessage() + " (is another agent using this data directory?)", e);
        }
        writeOptions = new WriteOptions().setSync(options.sync() == SyncPolicy.ALWAYS).setDisableWAL(false);
        if (options.sync() == SyncPolicy.INTERVAL) {
            ownSyncer = sharedSyncer != null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rocksdb-wal-sync");
                t.setDaemon(true);
                return t;
            });
            long ms = options.syncInterval().toMillis();
            syncTask = (sharedSyncer != null ? sharedSyncer : ownSyncer).scheduleWithFixedDelay(this::syncWal, ms, ms,
                    TimeUnit.MILLISECONDS);
        } else {
            ownSyncer = null;
            syncTask = null;
        }
    }

    private void syncWal() {
        try {
            synchronized (lifecycle) {
                if (!closed) {
                    db.flushWal(true);
                }
            }
        } catch (RocksDBException e) {
            LOG.warn("WAL sync failed: {}", e.getMessage());
        }
    }

    public BufferOptions options() {
        return options;
    }

    RocksDB db() {
        return db;
    }

    WriteOptions writeOptions() {
        return writeOptions;
    }

    ColumnFamilyHandle family(String name) {
        return switch (name) {
            case CAPTURE -> handles.get(1);
            case OUTBOX -> handles.get(2);
            case STATE -> handles.get(3);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Override
    public void close() {
        if (syncTask != null) {
            syncTask.cancel(false);
        }
        if (ownSyncer != null) {
            ownSyncer.shutdownNow();
        }
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                db.flushWal(true);
            } catch (RocksDBException e) {
                LOG.warn("final WAL sync failed: {}", e.getMessage());
            }
            handles.forEach(ColumnFamilyHandle::close);
            db.close();
            writeOptions.close();
            cfOptions.close();
            dbOptions.close();
        }
    }
}
