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
import io.edgeloop.server.rollout.policy.ExecutionCounts;
import io.edgeloop.server.rollout.policy.GateCheck;
import io.edgeloop.server.rollout.policy.GateVerdict;
import io.edgeloop.server.rollout.policy.QualityGate;
import io.edgeloop.server.rollout.policy.WavePlan;
import io.edgeloop.server.rollout.policy.WaveSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One tick of one rollout's state machine, read from and written to the database in the caller's
 * transaction (the rollout row locked): start, dispatch a wave's devices, time out, retry, abort,
 * evaluate the gate, advance, roll back, finish. Nothing here waits on a device: a stuck or
 * silent execution times out or fails, and the wave goes on without it.
 */
final class RolloutProgress {
    static final String WAVE_PENDING = "PENDING";
    static final String WAVE_RUNNING = "RUNNING";
    static final String WAVE_SOAKING = "SOAKING";
    static final String WAVE_DONE = "DONE";
    /** How often the quality gate is evaluated while a wave soaks. */
    static final long GATE_INTERVAL_MS = 1_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RolloutStore store;
    private final TargetResolver targets;
    private final RolloutAudit audit;
    private final GateEvidenceSource evidence;
    private final Map<String, Long> lastGate = new java.util.concurrent.ConcurrentHashMap<>();

    RolloutProgress(RolloutStore store, TargetResolver targets, RolloutAudit audit, GateEvidenceSource evidence) {
        this.store = store;
        this.targets = targets;
        this.audit = audit;
        this.evidence = evidence;
    }

    /** Advances {@code r} as far as it can go at {@code now}. */
    void step(Connection c, RolloutRow r, long now) throws SQLException, EdgeLoopException {
        switch (r.state) {
            case SCHEDULED -> {
                Instant start = r.definition.startAt();
                if (start == null || now >= start.toEpochMilli()) {
                    start(c, r, now);
                    if (r.state == RolloutState.RUNNING) {
                        run(c, r, now);
                    }
                }
            }
            case RUNNING -> run(c, r, now);
            case PAUSED -> timeOut(c, r, store.executions(c, r.id), now);
            case ROLLING_BACK -> rollingBack(c, r, now);
            default -> {
                // AWAITING_APPROVAL waits for an admin; terminal states do nothing
            }
        }
    }

    private void start(Connection c, RolloutRow r, long now) throws SQLException, EdgeLoopException {
        Set<String> devices = targets.resolve(c, r.definition.target());
        store.addTargets(c, r.id, devices, now);
        r.state = RolloutState.RUNNING;
        r.startedMs = now;
        r.rateWindowMs = now;
        r.rateWindowN = 0;
        save(c, r);
        audit.decided(c, Actor.SYSTEM, r, now, "start", RolloutState.SCHEDULED.name(), devices.size()
                + " devices targeted", Map.of("targets", devices.size(), "waves", r.definition.plan().percents()));
        supersede(c, r, now);
    }

    /** Older live rollouts of the same model at no higher priority are superseded: canceled, their executions too. */
    private void supersede(Connection c, RolloutRow r, long now) throws SQLException, EdgeLoopException {
        for (RolloutRow other : store.list(c, true)) {
            if (other.id.equals(r.id) || !other.packageName.equals(r.packageName) || other.priority > r.priority
                    || other.createdMs > r.createdMs || (other.createdMs == r.createdMs && other.seq > r.seq)) {
                continue;
            }
            RolloutRow locked = store.find(c, other.id, true).orElse(null);
            if (locked == null || locked.state.isTerminal()) {
                continue;
            }
            int canceled = cancelLive(c, locked, ErrorCode.JOB_SUPERSEDED, now);
            String before = locked.state.name();
            locked.state = RolloutState.CANCELED;
            locked.endedMs = now;
            locked.endReason = "superseded by rollout " + r.id;
            save(c, locked);
            audit.decided(c, Actor.SYSTEM, locked, now, "superseded", before, "superseded by rollout " + r.id + " ("
                    + r.packageName + ":" + r.packageVersion + "); " + canceled + " pending executions canceled",
                    Map.of("supersededBy", r.id, "canceledExecutions", canceled));
        }
    }

    private void run(Connection c, RolloutRow r, long now) throws SQLException, EdgeLoopException {
        List<Execution> all = store.executions(c, r.id);
        timeOut(c, r, all, now);
        retry(c, r, all, now);
        if (r.definition.dynamic()) {
            int added = store.addTargets(c, r.id, targets.resolve(c, r.definition.target()), now);
            if (added > 0) {
                store.event(c, r.id, now, "targets.added", null, added + " devices joined the dynamic target");
            }
        }
        List<String> fleet = store.targets(c, r.id);
        WavePlan plan = r.definition.plan();
        List<RolloutStore.Wave> waves = store.waves(c, r.id);
        int[] cumulative = plan.cumulativeTargets(fleet.size());
        for (RolloutStore.Wave w : waves) {
            int targeted = cumulative[w.index] - (w.index == 0 ? 0 : cumulative[w.index - 1]);
            if (w.targeted != targeted) {
                w.targeted = targeted;
                store.updateWave(c, r.id, w);
            }
        }
        if (fleet.isEmpty() && !r.definition.dynamic()) {
            finish(c, r, now, RolloutState.SUCCEEDED, "no device matches the target");
            return;
        }
        RolloutStore.Wave wave = waves.get(r.currentWave);
        WaveSpec spec = plan.wave(r.currentWave);
        if (wave.state.equals(WAVE_PENDING)) {
            wave.state = WAVE_RUNNING;
            wave.startedMs = now;
            store.updateWave(c, r.id, wave);
            audit.decided(c, Actor.SYSTEM, r, now, "wave.start", null, "wave " + (wave.index + 1) + " of " + plan.size()
                    + " (" + spec.percent() + "%): " + wave.targeted + " devices",
                    Map.of("wave", wave.index + 1, "targeted", wave.targeted));
        }
        ExecutionCounts counts = waveCounts(r, all);
        if (spec.abort().tripped(counts)) {
            abort(c, r, all, now, "wave " + (wave.index + 1) + " abort criteria tripped: " + spec.abort().describe(counts),
                    counts);
            return;
        }
        int candidates = dispatch(c, r, all, fleet, cumulative[r.currentWave], now);
        counts = waveCounts(r, all);
        int needed = spec.requiredSuccesses(wave.targeted);
        int live = counts.queued() + counts.inProgress();
        if (counts.succeeded() + live + candidates < needed) {
            abort(c, r, all, now, "wave " + (wave.index + 1) + " can no longer reach its success threshold: "
                    + counts.succeeded() + " succeeded, " + live + " in flight, " + candidates + " left to notify, "
                    + needed + " needed", counts);
            return;
        }
        if (counts.succeeded() >= needed && wave.thresholdMetMs == null) {
            wave.thresholdMetMs = now;
            wave.state = WAVE_SOAKING;
            store.updateWave(c, r.id, wave);
            audit.decided(c, Actor.SYSTEM, r, now, "wave.threshold", null, "wave " + (wave.index + 1) + ": "
                    + counts.succeeded() + " of " + wave.targeted + " succeeded (" + needed + " needed); soaking "
                    + spec.soak().toSeconds() + " s", Map.of("succeeded", counts.succeeded(), "needed", needed,
                    "soakSeconds", spec.soak().toSeconds()));
        }
        GateVerdict verdict = gate(c, r, all, fleet, now);
        if (verdict != null && verdict.outcome() == GateVerdict.Outcome.BREACH) {
            breach(c, r, all, now, verdict);
            return;
        }
        if (wave.thresholdMetMs == null || now - wave.thresholdMetMs < spec.soak().toMillis()) {
            return;
        }
        if (verdict != null && verdict.outcome() != GateVerdict.Outcome.PASS) {
            return; // the gate has not seen enough yet: the wave keeps soaking
        }
        boolean last = r.currentWave == plan.size() - 1;
        if (!last) {
            wave.state = WAVE_DONE;
            wave.doneMs = now;
            store.updateWave(c, r.id, wave);
            r.currentWave++;
            save(c, r);
            audit.decided(c, Actor.SYSTEM, r, now, "wave.done", null, "wave " + (wave.index + 1) + " done: "
                    + counts.succeeded() + " succeeded" + (verdict == null ? "" : "; gate " + verdict.summary()),
                    figures(counts, verdict));
            return;
        }
        if (r.definition.dynamic()) {
            if (!wave.state.equals(WAVE_DONE)) {
                wave.state = WAVE_DONE;
                wave.doneMs = now;
                store.updateWave(c, r.id, wave);
                audit.decided(c, Actor.SYSTEM, r, now, "wave.done", null, "last wave done; the dynamic target keeps"
                        + " notifying devices that join", figures(counts, verdict));
            }
            return;
        }
        if (counts(all).pending() == 0 && retryable(r, all, -1) == 0) {
            wave.state = WAVE_DONE;
            wave.doneMs = now;
            store.updateWave(c, r.id, wave);
            finish(c, r, now, RolloutState.SUCCEEDED, "every wave met its success threshold" + (verdict == null ? ""
                    : "; gate " + verdict.summary()));
        }
    }

    /**
     * Creates executions (to be notified) for devices of the target until {@code cumulativeTarget}
     * have one, within the maintenance window and the rate; a device that holds a live execution of
     * the same model in another rollout is skipped for now. Returns how many devices are still
     * waiting to be notified for this wave (busy ones included).
     */
    private int dispatch(Connection c, RolloutRow r, List<Execution> all, List<String> fleet, int cumulativeTarget,
                         long now) throws SQLException, EdgeLoopException {
        Set<String> have = new HashSet<>();
        all.forEach(e -> have.add(e.deviceId));
        int need = cumulativeTarget - all.size();
        List<String> fresh = new ArrayList<>();
        for (String d : fleet) {
            if (!have.contains(d)) {
                fresh.add(d);
            }
        }
        int waiting = Math.min(Math.max(need, 0), fresh.size());
        if (need <= 0 || fresh.isEmpty()) {
            return waiting;
        }
        if (r.definition.window() != null && !r.definition.window().policy().isOpen(Instant.ofEpochMilli(now))) {
            return waiting;
        }
        int quota = need;
        if (r.definition.rate() != null) {
            Instant windowStart = Instant.ofEpochMilli(r.rateWindowMs);
            Instant at = Instant.ofEpochMilli(now);
            int notified = all.size();
            int succeeded = (int) all.stream().filter(e -> e.succeededMs != null).count();
            quota = r.definition.rate().quota(windowStart, at, r.rateWindowN, notified, succeeded);
            if (r.definition.rate().windowExpired(windowStart, at)) {
                r.rateWindowMs = now;
                r.rateWindowN = 0;
            }
        }
        Set<String> busy = store.busyDevices(c, r.packageName, r.id);
        Map<String, String> running = targets.reportedVersions(c, r.packageName);
        RolloutDefinition.Timeouts t = r.definition.timeouts();
        int created = 0;
        for (String d : fresh) {
            if (created >= Math.min(need, quota)) {
                break;
            }
            if (busy.contains(d)) {
                continue;
            }
            Execution e = new Execution();
            e.rolloutId = r.id;
            e.deviceId = d;
            e.attempt = 1;
            e.jobId = Execution.jobId(r.id, 1);
            e.modelName = r.packageName;
            e.waveIndex = r.currentWave;
            e.previousVersion = running.get(d);
            queue(e, t, now);
            store.insert(c, e);
            all.add(e);
            created++;
        }
        if (created > 0) {
            r.rateWindowN += created;
            save(c, r);
        }
        return waiting - created;
    }

    /** (Re)queues an execution to be notified now, with its deadlines. */
    private static void queue(Execution e, RolloutDefinition.Timeouts t, long now) {
        e.state = JobExecutionState.QUEUED;
        e.step = null;
        e.version = 0;
        e.errorCode = null;
        e.statusDetails = null;
        e.queuedMs = now;
        e.notifiedMs = now;
        e.startedMs = null;
        e.succeededMs = null;
        e.endedMs = null;
        e.updatedMs = now;
        e.deadlineMs = now + t.inProgress().toMillis();
        e.stepDeadlineMs = t.step().isZero() ? null : now + t.step().toMillis();
        e.livenessDeadlineMs = t.liveness().isZero() ? null : now + t.liveness().toMillis();
        e.outbox = Execution.Outbox.NOTIFY;
        e.outboxReason = null;
    }

    /**
     * Ends executions past a deadline: the job's (TIMED_OUT, JOB_TIMED_OUT), a step's (TIMED_OUT),
     * or a silent device's (FAILED, DEVICE_SILENT; also a device that went silent after it
     * activated the version, while its wave has not finished).
     */
    private void timeOut(Connection c, RolloutRow r, List<Execution> all, long now) throws SQLException, EdgeLoopException {
        for (Execution e : all) {
            boolean live = !e.state.isTerminal();
            if (live && e.deadlineMs != null && now >= e.deadlineMs) {
                endByServer(c, e, JobExecutionState.TIMED_OUT, ErrorCode.JOB_TIMED_OUT, now, "job deadline passed");
            } else if (live && e.stepDeadlineMs != null && now >= e.stepDeadlineMs) {
                endByServer(c, e, JobExecutionState.TIMED_OUT, ErrorCode.JOB_TIMED_OUT, now, "step "
                        + (e.step == null ? "QUEUED" : e.step) + " took too long");
            } else if (e.livenessDeadlineMs != null && now >= e.livenessDeadlineMs
                    && (live || (e.state == JobExecutionState.SUCCEEDED && e.waveIndex == r.currentWave))) {
                endByServer(c, e, JobExecutionState.FAILED, ErrorCode.DEVICE_SILENT, now, "device silent");
            }
        }
    }

    private void endByServer(Connection c, Execution e, JobExecutionState state, ErrorCode code, long now, String why)
            throws SQLException, EdgeLoopException {
        boolean live = !e.state.isTerminal();
        e.end(state, code, now);
        if (live) {
            e.outbox = Execution.Outbox.CANCEL;
            e.outboxReason = code.name();
        }
        store.update(c, e);
        store.event(c, e.rolloutId, now, "execution." + state.name().toLowerCase(java.util.Locale.ROOT), e.deviceId,
                e.jobId + " " + code + ": " + why);
    }

    private void retry(Connection c, RolloutRow r, List<Execution> all, long now) throws SQLException, EdgeLoopException {
        var policy = r.definition.retryPolicy();
        for (Execution e : all) {
            // A timed-out job's cmd/cancel goes out before the retry's job document replaces it.
            if (e.state.isTerminal() && e.outbox == null && policy.shouldRetry(e.state, e.attempt)) {
                String was = e.state + (e.errorCode == null ? "" : " " + e.errorCode);
                e.attempt++;
                e.jobId = Execution.jobId(r.id, e.attempt);
                queue(e, r.definition.timeouts(), now);
                store.update(c, e);
                store.event(c, r.id, now, "execution.retry", e.deviceId, "attempt " + e.attempt + " after " + was);
            }
        }
    }

    /**
     * The current wave's counts, an execution the retry policy will run again counted as queued:
     * a failure that is retried neither trips the abort criteria nor misses the threshold yet.
     */
    private static ExecutionCounts waveCounts(RolloutRow r, List<Execution> all) {
        var policy = r.definition.retryPolicy();
        Map<JobExecutionState, Integer> by = new EnumMap<>(JobExecutionState.class);
        for (Execution e : all) {
            if (e.waveIndex == r.currentWave) {
                JobExecutionState s = e.state.isTerminal() && policy.shouldRetry(e.state, e.attempt)
                        ? JobExecutionState.QUEUED : e.state;
                by.merge(s, 1, Integer::sum);
            }
        }
        return ExecutionCounts.of(by);
    }

    /** Ended executions of {@code wave} (all waves: -1) that the retry policy will run again. */
    private static int retryable(RolloutRow r, List<Execution> all, int wave) {
        var policy = r.definition.retryPolicy();
        return (int) all.stream().filter(e -> (wave < 0 || e.waveIndex == wave) && e.state.isTerminal()
                && policy.shouldRetry(e.state, e.attempt)).count();
    }

    /** Cancels queued and in-progress executions (cmd/cancel with {@code reason}); returns how many. */
    private int cancelLive(Connection c, RolloutRow r, ErrorCode reason, long now) throws SQLException, EdgeLoopException {
        int n = 0;
        for (Execution e : store.executions(c, r.id)) {
            if (!e.state.isTerminal()) {
                e.end(JobExecutionState.CANCELED, reason, now);
                e.outbox = Execution.Outbox.CANCEL;
                e.outboxReason = reason.name();
                store.update(c, e);
                n++;
            }
        }
        return n;
    }

    int cancelLive(Connection c, RolloutRow r, long now) throws SQLException, EdgeLoopException {
        return cancelLive(c, r, ErrorCode.JOB_CANCELED, now);
    }

    private void abort(Connection c, RolloutRow r, List<Execution> all, long now, String why, ExecutionCounts counts)
            throws SQLException, EdgeLoopException {
        int canceled = cancelLive(c, r, ErrorCode.JOB_CANCELED, now);
        int took = rollBackTakers(c, r, now);
        String before = r.state.name();
        r.haltedMs = now;
        r.endReason = why;
        Map<String, Object> figures = figures(counts, null);
        figures.put("canceledExecutions", canceled);
        figures.put("rollbacksSent", took);
        if (took > 0) {
            r.state = RolloutState.ROLLING_BACK;
            r.endState = RolloutState.ABORTED;
            save(c, r);
            audit.decided(c, Actor.SYSTEM, r, now, "abort", before, why + "; rolling back " + took + " devices", figures);
        } else {
            r.state = RolloutState.ABORTED;
            r.endedMs = now;
            save(c, r);
            audit.decided(c, Actor.SYSTEM, r, now, "abort", before, why, figures);
        }
    }

    private void breach(Connection c, RolloutRow r, List<Execution> all, long now, GateVerdict verdict)
            throws SQLException, EdgeLoopException {
        String before = r.state.name();
        r.breachMs = now;
        int canceled = cancelLive(c, r, ErrorCode.HEALTH_GATE_FAILED, now);
        r.haltedMs = now;
        int took = rollBackTakers(c, r, now);
        r.state = RolloutState.ROLLING_BACK;
        r.endState = RolloutState.ROLLED_BACK;
        r.endReason = "quality gate breached: " + verdict.summary();
        save(c, r);
        Map<String, Object> figures = figures(counts(all), verdict);
        figures.put("canceledExecutions", canceled);
        figures.put("rollbacksSent", took);
        audit.decided(c, Actor.SYSTEM, r, now, "gate.breach", before, r.endReason + "; " + canceled
                + " executions canceled, rolling back " + took + " devices", figures);
    }

    /** Queues cmd/rollback for every execution that took the version and was not yet told; returns how many. */
    private int rollBackTakers(Connection c, RolloutRow r, long now) throws SQLException, EdgeLoopException {
        int n = 0;
        for (Execution e : store.executions(c, r.id)) {
            if (e.state == JobExecutionState.SUCCEEDED && e.rollbackSentMs == null && e.outbox != Execution.Outbox.ROLLBACK) {
                e.outbox = Execution.Outbox.ROLLBACK;
                e.outboxReason = null;
                e.livenessDeadlineMs = null;
                e.updatedMs = now;
                store.update(c, e);
                n++;
            }
        }
        return n;
    }

    private void rollingBack(Connection c, RolloutRow r, long now) throws SQLException, EdgeLoopException {
        rollBackTakers(c, r, now); // devices that reported SUCCEEDED after the halt
        List<Execution> all = store.executions(c, r.id);
        long waiting = all.stream().filter(e -> e.state == JobExecutionState.SUCCEEDED).count();
        long giveUp = r.haltedMs == null ? now : r.haltedMs + r.definition.timeouts().inProgress().toMillis();
        if (waiting == 0 || now >= giveUp) {
            RolloutState end = r.endState == null ? RolloutState.ROLLED_BACK : r.endState;
            long rolledBack = all.stream().filter(e -> e.state == JobExecutionState.ROLLED_BACK).count();
            if (waiting == 0) {
                r.rolledBackMs = now;
            }
            finish(c, r, now, end, rolledBack + " devices rolled back" + (waiting == 0 ? ""
                    : ", " + waiting + " did not confirm before the deadline"));
        }
    }

    private void finish(Connection c, RolloutRow r, long now, RolloutState end, String why) throws SQLException, EdgeLoopException {
        String before = r.state.name();
        r.state = end;
        r.endedMs = now;
        if (r.endReason == null || end == RolloutState.SUCCEEDED) {
            r.endReason = why;
        }
        save(c, r);
        audit.decided(c, Actor.SYSTEM, r, now, end.name().toLowerCase(java.util.Locale.ROOT), before, why,
                endFigures(c, r, now));
    }

    /** What a rollout ended with: every execution's state, the devices rolled back, how long it ran. */
    private Map<String, Object> endFigures(Connection c, RolloutRow r, long now) throws SQLException, EdgeLoopException {
        List<Execution> all = store.executions(c, r.id);
        Map<String, Object> f = figures(counts(all), null);
        f.put("targets", store.targets(c, r.id).size());
        f.put("waves", r.definition.plan().size());
        f.put("rolledBack", all.stream().filter(e -> e.state == JobExecutionState.ROLLED_BACK).count());
        if (r.startedMs != null) {
            f.put("durationSeconds", (now - r.startedMs) / 1000.0);
        }
        return f;
    }

    /** Evaluates the gate (at most every {@link #GATE_INTERVAL_MS}); null without a gate or before any device took the version. */
    private GateVerdict gate(Connection c, RolloutRow r, List<Execution> all, List<String> fleet, long now)
            throws SQLException, EdgeLoopException {
        if (r.definition.gate() == null) {
            return null;
        }
        List<Execution> took = all.stream().filter(e -> e.state == JobExecutionState.SUCCEEDED).toList();
        if (took.isEmpty()) {
            return null;
        }
        // Paced by this process's monotonic time: evaluations cost a telemetry scan, decisions use the clock.
        Long last = lastGate.get(r.id);
        if (last != null && System.nanoTime() - last < GATE_INTERVAL_MS * 1_000_000 && r.gateJson != null) {
            return lastVerdict(r);
        }
        lastGate.put(r.id, System.nanoTime());
        GateEvidenceSource.Evidence ev = evidence.gather(c, r.packageName, r.packageVersion, took, fleet,
                r.startedMs == null ? r.createdMs : r.startedMs);
        // Devices with no telemetry of the version they left give nothing to compare with.
        GateVerdict verdict = new QualityGate(r.definition.gate()).evaluate(ev.candidate(),
                ev.previous() == null || ev.previous().devices() == 0 ? null : ev.previous());
        r.gateMs = now;
        r.gateJson = verdictJson(verdict, ev).toString();
        save(c, r);
        return verdict;
    }

    private static GateVerdict lastVerdict(RolloutRow r) {
        try {
            var node = JSON.readTree(r.gateJson);
            // The checks as judged then: their summary must not read as "no check enabled".
            List<GateCheck> checks = new ArrayList<>();
            for (JsonNode n : node.path("checks")) {
                checks.add(new GateCheck(n.path("name").asText(), number(n.path("observed")), number(n.path("limit")),
                        n.path("passed").asBoolean(), n.path("detail").asText()));
            }
            return new GateVerdict(GateVerdict.Outcome.valueOf(node.path("outcome").asText()), checks);
        } catch (Exception e) {
            return null;
        }
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    static ObjectNode verdictJson(GateVerdict v, GateEvidenceSource.Evidence ev) {
        ObjectNode o = JSON.createObjectNode();
        o.put("outcome", v.outcome().name());
        o.put("summary", v.summary());
        ArrayNode checks = o.putArray("checks");
        for (GateCheck check : v.checks()) {
            ObjectNode n = checks.addObject().put("name", check.name()).put("passed", check.passed())
                    .put("detail", check.detail());
            putNumber(n, "observed", check.observed());
            putNumber(n, "limit", check.limit());
        }
        if (ev != null) {
            o.set("candidate", JSON.valueToTree(ev.candidate()));
            o.set("previous", JSON.valueToTree(ev.previous()));
        }
        return o;
    }

    private static void putNumber(ObjectNode o, String field, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }

    private Map<String, Object> figures(ExecutionCounts counts, GateVerdict verdict) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("counts", countsMap(counts));
        if (verdict != null) {
            f.put("gate", JSON.convertValue(verdictJson(verdict, null), Map.class));
        }
        return f;
    }

    static Map<String, Integer> countsMap(ExecutionCounts c) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (JobExecutionState s : JobExecutionState.values()) {
            m.put(s.name(), c.count(s));
        }
        return m;
    }

    static ExecutionCounts counts(List<Execution> executions) {
        Map<JobExecutionState, Integer> by = new EnumMap<>(JobExecutionState.class);
        for (Execution e : executions) {
            by.merge(e.state, 1, Integer::sum);
        }
        return ExecutionCounts.of(by);
    }

    private void save(Connection c, RolloutRow r) throws SQLException, EdgeLoopException {
        if (!store.update(c, r)) {
            throw new SQLException("rollout " + r.id + " changed under the engine (version " + r.version + ")",
                    "40001");
        }
    }
}
