package io.edgeloop.server.rollout;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.CommandName;
import io.edgeloop.protocol.message.JobDocument;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.packages.DownloadTokens;
import io.edgeloop.server.packages.PackageContentPath;
import io.edgeloop.server.packages.PackageRepository;
import io.edgeloop.server.packages.StoredPackage;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout engine: a tick (every {@code tickInterval}, and soon after job updates arrive) that,
 * on the one replica holding the {@code engine} lease, advances every live rollout in order
 * (priority, then creation time), each in its own transaction with its row locked, and then
 * publishes the outbox (job documents, cancels, rollbacks) and clears what the broker took. All
 * state is in the database, so a restarted or second replica resumes where the last left off;
 * a replica killed mid-tick loses at most a publish, which the next holder repeats (same job id,
 * so the device runs it once).
 */
public final class RolloutEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutEngine.class);
    static final String LEASE = "engine";
    private static final int OUTBOX_BATCH = 2_000;

    /**
     * @param tickInterval how often the engine looks at rollouts without being woken
     * @param leaseTtl how long a lease holder may stay silent before another replica takes over
     */
    public record Options(java.time.Duration tickInterval, java.time.Duration leaseTtl) {
        public static final Options DEFAULTS = new Options(java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(5));

        public Options {
            if (tickInterval.isNegative() || tickInterval.isZero() || leaseTtl.compareTo(tickInterval.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("need a positive tick and a lease of at least two ticks");
            }
        }
    }

    private final Database db;
    private final Clock clock;
    private final RolloutStore store;
    private final RolloutProgress progress;
    private final JobPublisher publisher;
    private final PackageRepository packages;
    private final DownloadTokens tokens;
    private final Supplier<String> baseUrl;
    private final String owner;
    private final Options options;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final AtomicLong seq = new AtomicLong(System.currentTimeMillis() * 1000);
    private final Map<String, StoredPackage> packageCache = new ConcurrentHashMap<>();
    private final AtomicLong ticks = new AtomicLong();
    private volatile boolean holder;
    private volatile boolean closed;

    RolloutEngine(Database db, Clock clock, RolloutStore store, RolloutProgress progress, JobPublisher publisher,
                  PackageRepository packages, DownloadTokens tokens, Supplier<String> baseUrl, String replicaId,
                  Options options) {
        this.db = db;
        this.clock = clock;
        this.store = store;
        this.progress = progress;
        this.publisher = publisher;
        this.packages = packages;
        this.tokens = tokens;
        this.baseUrl = baseUrl;
        // One owner per process: a replica restarted under the same id waits out its old lease.
        this.owner = replicaId + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.options = options;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rollout-engine");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts ticking. */
    public void start() {
        thread.scheduleWithFixedDelay(this::tickSafely, 0, options.tickInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a tick soon (job updates were committed, an operator acted). */
    public void wake() {
        if (!closed && wakeQueued.compareAndSet(false, true)) {
            try {
                thread.schedule(() -> {
                    wakeQueued.set(false);
                    tickSafely();
                }, 20, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                wakeQueued.set(false);
            }
        }
    }

    /** Whether this replica held the lease at its last tick. */
    public boolean leaseHolder() {
        return holder;
    }

    public String owner() {
        return owner;
    }

    /** Ticks run since start. */
    public long ticks() {
        return ticks.get();
    }

    private void tickSafely() {
        if (closed) {
            return;
        }
        try {
            tick();
        } catch (EdgeLoopException e) {
            LOG.warn("rollout tick failed: {}", e.describe());
        } catch (RuntimeException e) {
            LOG.error("rollout tick failed", e);
        }
    }

    /** One tick: lease, every live rollout, outbox. Runs on the engine thread only. */
    void tick() throws EdgeLoopException {
        ticks.incrementAndGet();
        long now = clock.millis();
        holder = db.transaction(c -> store.lease(c, LEASE, owner, now, options.leaseTtl().toMillis()));
        if (!holder) {
            return;
        }
        List<RolloutRow> live = db.transaction(c -> store.list(c, true));
        for (RolloutRow r : live) {
            try {
                db.transaction(c -> {
                    RolloutRow locked = store.find(c, r.id, true).orElse(null);
                    if (locked != null && !locked.state.isTerminal()) {
                        progress.step(c, locked, clock.millis());
                    }
                    return null;
                });
            } catch (EdgeLoopException e) {
                // One rollout's failure must not stop the others; it is tried again next tick.
                LOG.warn("rollout {} could not advance this tick: {}", r.id, e.describe());
            }
        }
        flushOutbox();
    }

    private void flushOutbox() throws EdgeLoopException {
        List<Execution> pending = db.transaction(c -> store.outbox(c, OUTBOX_BATCH));
        if (pending.isEmpty()) {
            return;
        }
        Map<String, RolloutRow> rollouts = new LinkedHashMap<>();
        for (Execution e : pending) {
            RolloutRow r = rollouts.get(e.rolloutId);
            if (r == null) {
                r = db.transaction(c -> store.find(c, e.rolloutId, false)).orElse(null);
                if (r == null) {
                    continue;
                }
                rollouts.put(e.rolloutId, r);
            }
            boolean sent;
            try {
                sent = publish(r, e);
            } catch (EdgeLoopException ex) {
                LOG.warn("cannot publish {} for {} of rollout {}: {}", e.outbox, e.deviceId, e.rolloutId, ex.describe());
                sent = false;
            }
            if (!sent) {
                return; // the broker is unreachable: try the rest next tick, in order
            }
            long at = clock.millis();
            db.transaction(c -> {
                store.clearOutbox(c, e, at);
                return null;
            });
        }
    }

    private boolean publish(RolloutRow r, Execution e) throws EdgeLoopException {
        Instant now = clock.instant();
        return switch (e.outbox) {
            case NOTIFY -> {
                StoredPackage pkg = packageOf(r);
                Instant deadline = Instant.ofEpochMilli(e.deadlineMs == null ? now.toEpochMilli() : e.deadlineMs);
                DownloadTokens.Minted token = tokens.mint(e.deviceId, pkg.sha256(), deadline);
                String url = baseUrl.get() + PackageContentPath.of(pkg.sha256(), e.deviceId, token.token());
                boolean canary = e.waveIndex == 0 && r.definition.waves().size() > 1;
                yield publisher.notify(new JobDocument(e.deviceId, now, seq.incrementAndGet(), e.jobId, r.id,
                        pkg.name(), pkg.version(), url, pkg.sha256(), pkg.sizeBytes(), deadline, false, canary,
                        r.definition.validation()));
            }
            case CANCEL -> {
                Map<String, String> args = new LinkedHashMap<>();
                args.put("jobId", e.jobId);
                if (e.outboxReason != null) {
                    args.put("reason", e.outboxReason);
                }
                yield publisher.command(new Command(e.deviceId, now, seq.incrementAndGet(), CommandName.CANCEL, args));
            }
            case ROLLBACK -> {
                Map<String, String> args = new LinkedHashMap<>();
                args.put("model", r.packageName);
                args.put("jobId", e.jobId);
                if (e.previousVersion != null) {
                    args.put("version", e.previousVersion);
                }
                yield publisher.command(new Command(e.deviceId, now, seq.incrementAndGet(), CommandName.ROLLBACK, args));
            }
        };
    }

    private StoredPackage packageOf(RolloutRow r) throws EdgeLoopException {
        String key = r.packageName + ":" + r.packageVersion;
        StoredPackage p = packageCache.get(key);
        if (p == null) {
            p = packages.get(r.packageName, r.packageVersion);
            packageCache.put(key, p);
        }
        return p;
    }

    @Override
    public void close() {
        closed = true;
        // No interrupt: H2 closes its file channel when a thread is interrupted inside it.
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            db.transaction(c -> {
                store.release(c, LEASE, owner);
                return null;
            });
        } catch (EdgeLoopException e) {
            LOG.debug("lease release: {}", e.describe());
        }
    }

}
