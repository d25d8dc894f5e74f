package io.edgeloop.server.retraining;

import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.captures.CaptureStore;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.evaluation.OnnxHoldoutEvaluator;
import io.edgeloop.server.packages.PackageRepository;
import io.edgeloop.server.publish.VersionPackager;
import io.edgeloop.server.registry.ModelRegistry;
import io.edgeloop.server.rollout.RolloutService;
import io.edgeloop.server.tracking.RunRepository;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The retraining half of the server, wired: the service (policies, decisions, the periodic
 * evaluation and the one retraining job at a time, per model across replicas) and the lineage reader.
 */
public final class Retraining implements AutoCloseable {
    private final RetrainingService service;
    private final VersionLineage lineage;

    private Retraining(RetrainingService service, VersionLineage lineage) {
        this.service = service;
        this.lineage = lineage;
    }

    /** What the retraining reads and drives, from the server's composition. */
    public record Inputs(Database db, AuditLog audit, ModelRegistry registry, RunRepository runs, String codeVersion,
                         DatasetLoader loader, PackageRepository packages, CaptureStore captures,
                         VersionPackager packager, RolloutService rollouts, Clock clock, String worker, Path runsDir) {
    }

    /** Starts the periodic evaluation every {@code interval}. */
    public static Retraining start(Inputs in, Duration interval) throws EdgeLoopException {
        RetrainingStore store = new RetrainingStore(in.db());
        EvidenceCollector evidence = new EvidenceCollector(in.db(), store, in.registry(), in.packages(), in.captures());
        DecisionEnds ends = new DecisionEnds(store, in.audit(), in.clock());
        RetrainingJob job = new RetrainingJob(new RetrainingJob.Parts(in.db(), store, in.audit(), in.captures(),
                new TrainingSetBuilder(in.loader()), in.loader(), in.runs(), in.codeVersion(), in.registry(),
                new OnnxHoldoutEvaluator(), in.packager(), in.rollouts(), in.runsDir(), in.clock()), ends);
        RetrainingService service = new RetrainingService(store, in.audit(), evidence, job, ends, in.rollouts(),
                in.clock(), in.worker(), RetrainingService.LEASE_TTL);
        service.start(interval);
        return new Retraining(service, new VersionLineage(in.registry(), in.runs(), store, in.packages()));
    }

    public RetrainingService service() {
        return service;
    }

    public VersionLineage lineage() {
        return lineage;
    }

    @Override
    public void close() {
        service.close();
    }
}
