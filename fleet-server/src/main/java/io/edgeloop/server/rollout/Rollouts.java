package io.edgeloop.server.rollout;

import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.packages.DownloadTokens;
import io.edgeloop.server.packages.PackageRepository;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The rollout half, composed: the service the REST routes call, the engine (with its publisher)
 * and the handler of job updates the ingest hands over. Built by {@code FleetServer}; the engine
 * exists only with the MQTT half (it needs a broker to publish to).
 */
public final class Rollouts implements AutoCloseable {
    private final RolloutService service;
    private final RolloutEngine engine;
    private final AutoCloseable publisher;
    private final JobUpdateListener listener;

    private Rollouts(RolloutService service, RolloutEngine engine, AutoCloseable publisher, JobUpdateListener listener) {
        this.service = service;
        this.engine = engine;
        this.publisher = publisher;
        this.listener = listener;
    }

    /**
     * @param publisher null: no engine (REST only; rollouts are stored and wait)
     * @param jobUpdates the handler the ingest was started with; null without the MQTT half
     */
    public static Rollouts start(Database db, AuditLog auditLog, PackageRepository packages, DownloadTokens tokens,
                                 Clock clock, JobPublisher publisher, JobUpdateHandler jobUpdates,
                                 Supplier<String> deviceBaseUrl, String replicaId, RolloutEngine.Options options) {
        RolloutStore store = new RolloutStore();
        TargetResolver targets = new TargetResolver();
        RolloutAudit audit = new RolloutAudit(store, auditLog);
        RolloutProgress progress = new RolloutProgress(store, targets, audit, new TelemetryGateEvidence());
        RolloutService service = new RolloutService(db, store, targets, audit, packages, progress, clock);
        RolloutEngine engine = null;
        if (publisher != null) {
            engine = new RolloutEngine(db, clock, store, progress, publisher, packages, tokens, deviceBaseUrl, replicaId,
                    options);
            RolloutEngine e = engine;
            service.onChange(e::wake);
            if (jobUpdates != null) {
                jobUpdates.onCommit(e::wake);
            }
            engine.start();
        }
        JobUpdateListener listener = null;
        if (publisher instanceof MqttJobPublisher mqtt && jobUpdates != null) {
            listener = new JobUpdateListener(db, jobUpdates);
            mqtt.listen(listener::arrived);
        }
        return new Rollouts(service, engine, publisher instanceof AutoCloseable a ? a : null, listener);
    }

    public RolloutService service() {
        return service;
    }

    /** The engine, or null without the MQTT half. */
    public RolloutEngine engine() {
        return engine;
    }

    @Override
    public void close() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (listener != null) {
            listener.close();
        }
    }
}
