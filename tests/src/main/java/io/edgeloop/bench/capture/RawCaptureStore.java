package io.edgeloop.bench.capture;

import io.edgeloop.agent.buffer.AgentDb;
import io.edgeloop.agent.buffer.BufferOptions;
import io.edgeloop.agent.buffer.SyncPolicy;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ConfigOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.OptionsUtil;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Bare RocksDB puts into the {@code capture} column family of a database the agent created: the
 * folder is first opened and closed as an {@link AgentDb}, then reopened here with the options
 * RocksDB persisted for it (its OPTIONS file), so both sides run on the same DB and column-family
 * options without this class copying them. The write options follow {@link SyncPolicy} as the
 * agent's do (WAL on, {@code sync} under ALWAYS; under INTERVAL the WAL is flushed and synced every
 * interval on a background thread).
 */
public final class RawCaptureStore implements AutoCloseable {
    static final String CAPTURE_FAMILY = "capture";

    private final ConfigOptions config = new ConfigOptions();
    private final DBOptions dbOptions = new DBOptions();
    private final List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final RocksDB db;
    private final ColumnFamilyHandle capture;
    private final WriteOptions writeOptions;
    private final ScheduledExecutorService syncer;
    private final Object lifecycle = new Object();
    private boolean closed;

    private RawCaptureStore(Path dir, BufferOptions options) throws RocksDBException {
        OptionsUtil.loadLatestOptions(config, dir.toString(), dbOptions, descriptors);
        db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        capture = handles.get(familyIndex(descriptors));
        writeOptions = new WriteOptions().setSync(options.sync() == SyncPolicy.ALWAYS).setDisableWAL(false);
        if (options.sync() == SyncPolicy.INTERVAL) {
            syncer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "raw-wal-sync");
                t.setDaemon(true);
                return t;
            });
            long ms = options.syncIntervalMillis();
            syncer.scheduleWithFixedDelay(this::syncWal, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            syncer = null;
        }
    }

    /** Creates the agent's database in the empty folder {@code dir}, closes it and reopens it bare. */
    public static RawCaptureStore create(Path dir, BufferOptions options) throws Exception {
        new AgentDb(dir, options).close();
        return new RawCaptureStore(dir, options);
    }

    /** The first value stored in the capture family of the (closed) agent database in {@code dir}. */
    public static byte[] firstCaptureValue(Path dir, BufferOptions options) throws Exception {
        try (RawCaptureStore store = new RawCaptureStore(dir, options); RocksIterator it = store.db.newIterator(store.capture)) {
            it.seekToFirst();
            if (!it.isValid()) {
                throw new IllegalStateException("no capture record in " + dir);
            }
            return it.value();
        }
    }

    public void put(byte[] key, byte[] value) throws RocksDBException {
        db.put(capture, writeOptions, key, value);
    }

    private static int familyIndex(List<ColumnFamilyDescriptor> descriptors) {
        for (int i = 0; i < descriptors.size(); i++) {
            if (new String(descriptors.get(i).getName(), StandardCharsets.UTF_8).equals(CAPTURE_FAMILY)) {
                return i;
            }
        }
        throw new IllegalStateException("the agent's database has no '" + CAPTURE_FAMILY + "' column family");
    }

    private void syncWal() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            try {
                db.flushWal(true);
            } catch (RocksDBException e) {
                // As the agent does: report it and try again at the next interval.
                System.err.println("raw WAL sync failed: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() throws RocksDBException {
        if (syncer != null) {
            syncer.shutdownNow();
        }
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            db.flushWal(true);
            handles.forEach(ColumnFamilyHandle::close);
            db.close();
            writeOptions.close();
            descriptors.forEach(d -> d.getOptions().close());
            dbOptions.close();
            config.close();
        }
    }
}
