package io.edgeloop.server.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.RolloutState;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.access.Secrets;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.packages.PackageRepository;
import io.edgeloop.server.rollout.policy.ExecutionCounts;
import io.edgeloop.server.rollout.policy.WaveSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the REST API does with rollouts: create (validated, the package must be stored, listed
 * devices registered), read (progress per wave and per device, gate, events), and the operator's
 * actions (pause, resume, cancel; approve for admins), each with its audit entry in the same
 * transaction. The engine does the rest on its next tick, which each action asks for.
 */
public final class RolloutService {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int EVENTS_SHOWN = 200;

    private final Database db;
    private final RolloutStore store;
    private final TargetResolver targets;
    private final RolloutAudit audit;
    private final PackageRepository packages;
    private final RolloutProgress progress;
    private final Clock clock;
    private volatile Runnable wake = () -> { };

    RolloutService(Database db, RolloutStore store, TargetResolver targets, RolloutAudit audit, PackageRepository packages,
                   RolloutProgress progress, Clock clock) {
        this.db = db;
        this.store = store;
        this.targets = targets;
        this.audit = audit;
        this.packages = packages;
        this.progress = progress;
        this.clock = clock;
    }

    void onChange(Runnable r) {
        this.wake = r;
    }

    /** Creates a rollout from a request body; returns {@code {"rolloutId", "state"}}. */
    public ObjectNode create(Actor actor, JsonNode body) throws EdgeLoopException {
        RolloutDefinition d = RolloutDefinition.parse(body);
        packages.get(d.packageName(), d.packageVersion()); // PACKAGE_NOT_FOUND when it is not stored
        ObjectNode answer = db.transaction(c -> {
            if (d.target().devices() != null) {
                List<String> unknown = targets.unknown(c, d.target().devices());
                if (!unknown.isEmpty()) {
                    throw new EdgeLoopException(ErrorCode.DEVICE_NOT_FOUND, "the target names devices that are not"
                            + " registered (or were revoked): " + String.join(", ", unknown));
                }
            }
            long now = clock.millis();
            RolloutRow r = new RolloutRow();
            r.id = "r-" + HexFormat.of().formatHex(Secrets.randomBytes(6));
            r.packageName = d.packageName();
            r.packageVersion = d.packageVersion();
            r.definition = d;
            r.definitionJson = d.toJson().toString();
            r.state = d.requiresApproval() ? RolloutState.AWAITING_APPROVAL : RolloutState.SCHEDULED;
            r.priority = d.priority();
            r.currentWave = 0;
            r.createdMs = now;
            r.createdBy = actor.id();
            r.rateWindowMs = now;
            store.insert(c, r);
            for (int i = 0; i < d.waves().size(); i++) {
                RolloutStore.Wave w = new RolloutStore.Wave();
                w.index = i;
                w.percent = d.waves().get(i).percent();
                w.state = RolloutProgress.WAVE_PENDING;
                store.insertWave(c, r.id, w);
            }
            store.event(c, r.id, now, "create", null, "created by " + actor.name() + ": " + d.packageRef());
            ObjectNode after = d.toJson();
            after.put("rolloutId", r.id).put("state", r.state.name());
            auditRecord(c, actor, "rollout.create", r.id, null, after);
            ObjectNode out = JSON.createObjectNode();
            out.put("rolloutId", r.id).put("state", r.state.name());
            return out;
        });
        wake.run();
        return answer;
    }

    private void auditRecord(Connection c, Actor actor, String action, String id, Object before, Object after)
            throws SQLException {
        audit.log().record(c, actor, action, "rollout:" + id, before, after);
    }

    /** Every rollout, newest first, in short form. */
    public ArrayNode list() throws EdgeLoopException {
        return db.transaction(c -> {
            List<RolloutRow> all = new ArrayList<>(store.list(c, false));
            all.sort((a, b) -> Long.compare(b.createdMs, a.createdMs));
            ArrayNode out = JSON.createArrayNode();
            for (RolloutRow r : all) {
                ObjectNode o = out.addObject();
                o.put("rolloutId", r.id).put("state", r.state.name()).put("package", r.packageName + ":" + r.packageVersion)
                        .put("priority", r.priority).put("wave", r.currentWave + 1)
                        .put("waves", r.definition.waves().size());
                o.put("createdAt", iso(r.createdMs));
                o.put("startedAt", iso(r.startedMs));
                o.put("endedAt", iso(r.endedMs));
                o.set("counts", countsJson(RolloutProgress.counts(store.executions(c, r.id))));
            }
            return out;
        });
    }

    /** One rollout with its waves, counts, gate, events and rollback times. */
    public ObjectNode get(String id) throws EdgeLoopException {
        return db.transaction(c -> {
            RolloutRow r = find(c, id, false);
            List<Execution> all = store.executions(c, id);
            ObjectNode o = JSON.createObjectNode();
            o.put("rolloutId", r.id).put("state", r.state.name()).put("package", r.packageName + ":" + r.packageVersion)
                    .put("priority", r.priority);
            o.put("createdAt", iso(r.createdMs)).put("createdBy", r.createdBy);
            o.put("approvedAt", iso(r.approvedMs)).put("approvedBy", r.approvedBy);
            o.put("startedAt", iso(r.startedMs)).put("endedAt", iso(r.endedMs));
            o.put("endReason", r.endReason);
            o.put("currentWave", r.currentWave + 1);
            o.put("targets", store.targets(c, id).size());
            ArrayNode waves = o.putArray("waves");
            for (RolloutStore.Wave w : store.waves(c, id)) {
                WaveSpec spec = r.definition.waves().get(w.index);
                List<Execution> in = all.stream().filter(e -> e.waveIndex == w.index).toList();
                ObjectNode wn = waves.addObject();
                wn.put("index", w.index + 1).put("percent", w.percent).put("state", w.state).put("targeted", w.targeted)
                        .put("required", spec.requiredSuccesses(w.targeted)).put("soakSeconds", spec.soak().toSeconds());
                wn.put("startedAt", iso(w.startedMs)).put("thresholdMetAt", iso(w.thresholdMetMs)).put("doneAt", iso(w.doneMs));
                wn.set("counts", countsJson(RolloutProgress.counts(in)));
            }
            o.set("counts", countsJson(RolloutProgress.counts(all)));
            o.put("staleUpdates", all.stream().mapToLong(e -> e.staleUpdates).sum());
            o.put("retries", all.stream().mapToLong(e -> e.attempt - 1).sum());
            try {
                o.set("gate", r.gateJson == null ? null : JSON.readTree(r.gateJson));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                o.putNull("gate");
            }
            o.put("gateAt", iso(r.gateMs));
            o.put("breachAt", iso(r.breachMs)).put("haltedAt", iso(r.haltedMs)).put("rolledBackAt", iso(r.rolledBackMs));
            ArrayNode events = o.putArray("events");
            for (RolloutStore.Event e : store.events(c, id, EVENTS_SHOWN)) {
                ObjectNode en = events.addObject().put("at", iso(e.atMs())).put("type", e.type());
                if (e.deviceId() != null) {
                    en.put("deviceId", e.deviceId());
                }
                en.put("detail", e.detail());
            }
            o.set("definition", tree(r.definitionJson));
            return o;
        });
    }

    /** Each device's execution. */
    public ArrayNode executions(String id) throws EdgeLoopException {
        return db.transaction(c -> {
            find(c, id, false);
            ArrayNode out = JSON.createArrayNode();
            for (Execution e : store.executions(c, id)) {
                ObjectNode o = out.addObject();
                o.put("deviceId", e.deviceId).put("jobId", e.jobId).put("wave", e.waveIndex + 1).put("state", e.state.name())
                        .put("step", e.step == null ? null : e.step.name()).put("version", e.version)
                        .put("attempt", e.attempt).put("errorCode", e.errorCode == null ? null : e.errorCode.name())
                        .put("previousVersion", e.previousVersion).put("staleUpdates", e.staleUpdates)
                        .put("pendingPublish", e.outbox == null ? null : e.outbox.name());
                o.set("statusDetails", tree(e.statusDetails));
                o.put("notifiedAt", iso(e.notifiedMs)).put("updatedAt", iso(e.updatedMs)).put("endedAt", iso(e.endedMs));
            }
            return out;
        });
    }

    /** An operator's action on a rollout. */
    public enum Action { PAUSE, RESUME, CANCEL, APPROVE }

    public ObjectNode act(Actor actor, String id, Action action) throws EdgeLoopException {
        ObjectNode answer = db.transaction(c -> {
            RolloutRow r = find(c, id, true);
            RolloutState before = r.state;
            Set<RolloutState> from = switch (action) {
                case PAUSE -> EnumSet.of(RolloutState.RUNNING, RolloutState.SCHEDULED);
                case RESUME -> EnumSet.of(RolloutState.PAUSED);
                case CANCEL -> EnumSet.of(RolloutState.SCHEDULED, RolloutState.AWAITING_APPROVAL, RolloutState.RUNNING,
                        RolloutState.PAUSED, RolloutState.ROLLING_BACK);
                case APPROVE -> EnumSet.of(RolloutState.AWAITING_APPROVAL);
            };
            if (!from.contains(r.state)) {
                throw new EdgeLoopException(ErrorCode.ROLLOUT_STATE_CONFLICT, "cannot " + action.name().toLowerCase()
                        + " rollout " + id + " while it is " + r.state + " (allowed from " + from + ")");
            }
            long now = clock.millis();
            String detail;
            Map<String, Object> figures = null;
            switch (action) {
                case PAUSE -> {
                    r.state = RolloutState.PAUSED;
                    detail = "paused by " + actor.name() + ": no new notifications";
                }
                case RESUME -> {
                    r.state = r.startedMs == null ? RolloutState.SCHEDULED : RolloutState.RUNNING;
                    detail = "resumed by " + actor.name();
                }
                case CANCEL -> {
                    int canceled = progress.cancelLive(c, r, now);
                    r.state = RolloutState.CANCELED;
                    r.endedMs = now;
                    r.endReason = "canceled by " + actor.name();
                    detail = "canceled by " + actor.name() + "; " + canceled + " pending executions canceled";
                    figures = Map.of("canceledExecutions", canceled);
                }
                default -> {
                    r.state = RolloutState.SCHEDULED;
                    r.approvedMs = now;
                    r.approvedBy = actor.id();
                    detail = "approved by " + actor.name();
                }
            }
            if (!store.update(c, r)) {
                throw new EdgeLoopException(ErrorCode.ROLLOUT_STATE_CONFLICT, "rollout " + id + " changed meanwhile; retry");
            }
            audit.decided(c, actor, r, now, action.name().toLowerCase(), before.name(), detail, figures);
            ObjectNode out = JSON.createObjectNode();
            out.put("rolloutId", r.id).put("state", r.state.name());
            return out;
        });
        wake.run();
        return answer;
    }

    private RolloutRow find(Connection c, String id, boolean lock) throws SQLException, EdgeLoopException {
        return store.find(c, id, lock).orElseThrow(() -> new EdgeLoopException(ErrorCode.ROLLOUT_NOT_FOUND,
                "no rollout " + id + "; list rollouts with 'edgeloop fleet rollouts list'"));
    }

    static ObjectNode countsJson(ExecutionCounts counts) {
        ObjectNode o = JSON.createObjectNode();
        for (JobExecutionState s : JobExecutionState.values()) {
            o.put(s.name(), counts.count(s));
        }
        return o;
    }

    private static JsonNode tree(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(json);
        }
    }

    private static String iso(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms).toString();
    }
}
