package io.edgeloop.agent.jobs;

import io.edgeloop.agent.serving.ModelRegistry;
import io.edgeloop.agent.store.ModelDescriptor;
import io.edgeloop.agent.store.ModelStore;
import io.edgeloop.agent.store.PackageInstaller;
import io.edgeloop.packageformat.FileEntry;
import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.PackageException;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.ProfileTraits;
import io.edgeloop.packageformat.Variant;
import io.edgeloop.packageformat.VariantSelector;
import io.edgeloop.packageformat.VerifiedPackage;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobStep;
import io.edgeloop.protocol.message.JobDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One job's steps, run on the runner's thread, each entered with an {@code IN_PROGRESS} update:
 * {@code DOWNLOADING} (resumable), {@code VERIFYING} (size, sha256, signature, then whether a
 * variant suits this device and the disk can take it), {@code INSTALLING} (into the store, not
 * active), {@code VALIDATING} (per the job's validation), {@code ACTIVATING}, then
 * {@code SUCCEEDED}. A resumed job starts again at the step it last reported. Whatever ends a job
 * early leaves the active version serving and removes a candidate this job installed.
 */
final class JobSteps {
    private static final Logger LOG = LoggerFactory.getLogger(JobSteps.class);

    private final JobStore jobs;
    private final ModelStore store;
    private final ModelRegistry registry;
    private final TrustedKeys publisher;
    private final ProfileTraits device;
    private final VariantSelector selector = new VariantSelector(io.edgeloop.packageformat.KnownProfiles.ALL);
    private final PackageVerifier verifier = new PackageVerifier(PackageVerifier.Options.DEFAULTS);
    private final Path dir;
    private final JobOptions options;
    private final Clock clock;
    private final CandidateValidation validation;
    private final JobRunner.Signals signals;
    private final PackageDownload download;
    private final MessageCodec codec = new MessageCodec();
    /** The record of the job running now, as last stored (runner thread only). */
    private JobRecord live;
    /** The trusted key the running job's package verified with. */
    private PublicKey signer;

    JobSteps(JobStore jobs, ModelStore store, ModelRegistry registry, TrustedKeys publisher, ProfileTraits device,
             Path dir, JobOptions options, Clock clock,
             CandidateValidation validation, JobRunner.Signals signals) {
        this.jobs = jobs;
        this.store = store;
        this.registry = registry;
        this.publisher = publisher;
        this.device = device;
        this.dir = dir;
        this.options = options;
        this.clock = clock;
        this.validation = validation;
        this.signals = signals;
        this.download = new PackageDownload(options);
    }

    /** Runs {@code job} to its end; {@link JobStopped} when the agent closes first. */
    void run(JobRecord job) throws JobStopped {
        live = job;
        JobDocument doc;
        try {
            doc = codec.decode(job.document().getBytes(StandardCharsets.UTF_8), JobDocument.class);
        } catch (MessageFormatException e) {
            end(JobOutcome.of(JobExecutionState.REJECTED, ErrorCode.MALFORMED_MESSAGE, "the stored job document is unreadable: "
                    + e.getMessage()), null);
            return;
        }
        try {
            steps(doc);
        } catch (JobOutcome outcome) {
            end(outcome, doc);
        } catch (EdgeLoopException e) {
            end(JobOutcome.failed(e.code(), e.getMessage()), doc);
        }
    }

    private void steps(JobDocument doc) throws JobOutcome, JobStopped, EdgeLoopException {
        Control control = new Control(doc);
        control.checkContinue();
        Path file = packageFile(doc.jobId());
        if (live.step() == null && alreadyDone(doc)) {
            return;
        }
        JobStep step = live.step() == null ? JobStep.DOWNLOADING : live.step();
        if (step != JobStep.DOWNLOADING && !complete(file, doc)) {
            LOG.warn("job {}: the downloaded package is gone; downloading again", doc.jobId());
            jobs.offset(doc.jobId(), 0);
            step = JobStep.DOWNLOADING;
        }
        if (step == JobStep.DOWNLOADING) {
            long offset = Math.min(jobs.offset(doc.jobId()), sizeOf(file));
            enter(JobStep.DOWNLOADING, Map.of("bytesDownloaded", Long.toString(offset),
                    "sizeBytes", Long.toString(doc.sizeBytes())));
            control.reported(offset);
            download.fetch(URI.create(doc.downloadUrl()), doc.sizeBytes(), file, offset, control);
            step = JobStep.VERIFYING;
        }
        if (step == JobStep.VERIFYING) {
            control.checkContinue();
            enter(JobStep.VERIFYING, Map.of("bytesDownloaded", Long.toString(doc.sizeBytes())));
        }
        VerifiedPackage pkg = verify(doc, file);
        Variant variant = compatibleVariant(pkg.manifest());
        if (step == JobStep.VERIFYING) {
            step = JobStep.INSTALLING;
        }
        String model = doc.packageName();
        String version = doc.packageVersion();
        if (step == JobStep.INSTALLING) {
            control.checkContinue();
            enter(JobStep.INSTALLING, Map.of("variant", variant.id()));
            install(file, model, version);
            step = JobStep.VALIDATING;
        }
        Map<String, String> validated = Map.of();
        if (step == JobStep.VALIDATING) {
            control.checkContinue();
            enter(JobStep.VALIDATING, Map.of("validation", doc.validation().mode().name(), "variant", variant.id()));
            validated = validation.validate(doc.validation(), model, version, pkg, control);
            step = JobStep.ACTIVATING;
        }
        control.checkContinue();
        Map<String, String> done = new LinkedHashMap<>(validated);
        done.put("variant", variant.id());
        enter(JobStep.ACTIVATING, done);
        synchronized (signals.activationLock()) {
            String previous = registry.activeVersions().get(model);
            activate(model, version);
            live = live.withInstalled(null, previous);
            jobs.save(live);
            done.put("activatedVersion", version);
            if (previous != null && !previous.equals(version)) {
                done.put("previousVersion", previous);
            }
            live = jobs.report(live, JobExecutionState.SUCCEEDED, JobStep.ACTIVATING, null, done);
        }
        deleteQuietly(file);
        LOG.info("job {}: {} {} ({}) is active", doc.jobId(), model, version, variant.id());
    }

    /**
     * Before anything is fetched: a job for the version already active succeeds at once (a
     * server that re-sends a job after a restart updates nobody twice), and one for a version
     * below the highest installed is refused ({@code DOWNGRADE_REFUSED}: going back is a rollback).
     */
    private boolean alreadyDone(JobDocument doc) throws JobOutcome, EdgeLoopException {
        String model = doc.packageName();
        String version = doc.packageVersion();
        if (version.equals(registry.activeVersions().get(model))) {
            enter(JobStep.ACTIVATING, Map.of("alreadyActive", "true"));
            live = jobs.report(live, JobExecutionState.SUCCEEDED, JobStep.ACTIVATING, null, Map.of("activatedVersion", version,
                    "alreadyActive", "true", "variant", store.descriptor(model, version).variant()));
            LOG.info("job {}: {} {} is already active", doc.jobId(), model, version);
            return true;
        }
        Optional<String> highest = io.edgeloop.agent.store.SemanticVersion.highest(store.versions(model));
        if (highest.isPresent() && io.edgeloop.agent.store.SemanticVersion.isOlder(version, highest.get())) {
            String reason = model + " " + version + " is older than the installed " + highest.get()
                    + "; a device goes back by cmd/rollback, not by a job";
            throw new JobOutcome(JobExecutionState.REJECTED, ErrorCode.DOWNGRADE_REFUSED, reason, Map.of("reason", reason));
        }
        return false;
    }

    private void enter(JobStep step, Map<String, String> details) throws EdgeLoopException {
        live = jobs.report(live, JobExecutionState.IN_PROGRESS, step, null, details);
    }

    private VerifiedPackage verify(JobDocument doc, Path file) throws JobOutcome, EdgeLoopException {
        long size = sizeOf(file);
        if (size != doc.sizeBytes()) {
            throw JobOutcome.failed(ErrorCode.PACKAGE_HASH_MISMATCH, "the download has " + size
                    + " bytes, the job document says " + doc.sizeBytes());
        }
        String sha = sha256(file);
        if (!sha.equals(doc.sha256())) {
            throw JobOutcome.failed(ErrorCode.PACKAGE_HASH_MISMATCH, "the download's sha256 is " + sha
                    + ", the job document says " + doc.sha256());
        }
        List<PublicKey> keys = publisher.load();
        if (keys.isEmpty()) {
            throw JobOutcome.failed(ErrorCode.PACKAGE_KEY_MISSING, "this agent has no publisher key to verify "
                    + doc.packageName() + " " + doc.packageVersion() + " with (none from enrolment, no --pubkey)");
        }
        VerifiedPackage pkg = null;
        PackageException refused = null;
        for (PublicKey key : keys) {
            try {
                pkg = verifier.verify(file, key);
                signer = key;
                break;
            } catch (PackageException e) {
                // another trusted key may have signed it; a broken package fails the same with each
                refused = e;
            }
        }
        if (pkg == null) {
            throw JobOutcome.failed(refused.code(), refused.getMessage());
        }
        Manifest m = pkg.manifest();
        if (!m.name().equals(doc.packageName()) || !m.version().equals(doc.packageVersion())) {
            throw JobOutcome.failed(ErrorCode.PACKAGE_MANIFEST_INVALID, "the package is " + m.name() + " " + m.version()
                    + ", the job document names " + doc.packageName() + " " + doc.packageVersion());
        }
        return pkg;
    }

    /** The variant for this device, and room on disk to install it; REJECTED when none suits. */
    private Variant compatibleVariant(Manifest manifest) throws JobOutcome {
        Optional<Variant> variant = selector.select(manifest, device);
        if (variant.isEmpty()) {
            String reason = "no variant of " + manifest.name() + " " + manifest.version() + " suits device profile '"
                    + device.id() + "'; variants: " + manifest.variants().stream().map(Variant::id).toList();
            throw new JobOutcome(JobExecutionState.REJECTED, ErrorCode.PACKAGE_NO_COMPATIBLE_VARIANT, reason,
                    Map.of("reason", reason, "deviceProfile", device.id()));
        }
        long bytes = manifest.files().stream().filter(f -> f.path().equals(variant.get().file())).mapToLong(FileEntry::size)
                .sum();
        download.requireSpace(dir, bytes);
        return variant.get();
    }

    private void install(Path file, String model, String version) throws JobOutcome, EdgeLoopException {
        boolean existed = store.versions(model).contains(version);
        try {
            PublicKey key = signer;
            ModelDescriptor installed = new PackageInstaller(store, verifier, () -> key, device,
                    io.edgeloop.packageformat.KnownProfiles.ALL).install(file);
            if (!existed && live.installed() == null) {
                live = live.withInstalled(installed.version(), null);
                jobs.save(live);
            }
        } catch (EdgeLoopException e) {
            IOException io = ioCause(e);
            throw io != null ? PackageDownload.storage("installing " + model + " " + version + " failed", io)
                    : JobOutcome.failed(e.code(), e.getMessage());
        }
    }

    private void activate(String model, String version) throws JobOutcome {
        try {
            registry.activate(model, version);
        } catch (EdgeLoopException e) {
            ErrorCode code = e.code() == ErrorCode.DOWNGRADE_REFUSED ? e.code() : ErrorCode.ACTIVATION_FAILED;
            throw JobOutcome.failed(code, e.getMessage());
        }
    }

    /** Reports a job's end (when its state may move there) and cleans up after it. */
    private void end(JobOutcome outcome, JobDocument doc) {
        JobExecutionState state = reachable(live.state(), outcome.state());
        if (state == null) {
            LOG.warn("job {}: {} cannot follow {}; not reported", live.jobId(), outcome.state(), live.state());
            return;
        }
        removeCandidate(live);
        deleteQuietly(packageFile(live.jobId()));
        Map<String, String> details = new LinkedHashMap<>(outcome.details());
        if (outcome.getMessage() != null) {
            details.putIfAbsent("reason", outcome.getMessage());
        }
        try {
            live = jobs.report(live, state, live.step(), outcome.code(), details);
        } catch (EdgeLoopException e) {
            LOG.error("job {}: its end ({}) could not be stored: {}", live.jobId(), state, e.describe());
            return;
        }
        LOG.info("job {} ended {} {}: {}", live.jobId(), state, outcome.code(), outcome.getMessage());
    }

    /**
     * The end a job in {@code from} may report for {@code wanted}: itself when the state machine
     * allows it; for a job that never started (QUEUED) a rollback becomes CANCELED and a failure
     * REJECTED (the only ends QUEUED may move to); null for a job that has ended.
     */
    static JobExecutionState reachable(JobExecutionState from, JobExecutionState wanted) {
        if (from.canMoveTo(wanted)) {
            return wanted;
        }
        if (from == JobExecutionState.QUEUED) {
            return wanted == JobExecutionState.ROLLED_BACK ? JobExecutionState.CANCELED : JobExecutionState.REJECTED;
        }
        return null;
    }

    /** Ends a job that has not started running (the runner holds its lock). */
    void finishPending(JobRecord job, JobExecutionState wanted, ErrorCode code) throws EdgeLoopException {
        JobExecutionState state = reachable(job.state(), wanted);
        if (state == null) {
            return;
        }
        removeCandidate(job);
        deleteQuietly(packageFile(job.jobId()));
        jobs.report(job, state, job.step(), code, Map.of("reason", code.advice()));
        LOG.info("job {} ended {} {} before it ran", job.jobId(), state, code);
    }

    /** A bug ended the job: it fails rather than running again at every start. */
    void failUnexpectedly(String jobId, RuntimeException e) {
        try {
            JobRecord job = jobs.get(jobId).orElse(null);
            JobExecutionState state = job == null ? null : reachable(job.state(), JobExecutionState.FAILED);
            if (state != null) {
                removeCandidate(job);
                jobs.report(job, state, job.step(), ErrorCode.INTERNAL, Map.of("reason", e.toString()));
            }
        } catch (EdgeLoopException again) {
            LOG.error("job {}: the failure could not be stored: {}", jobId, again.describe());
        }
    }

    private void removeCandidate(JobRecord job) {
        String candidate = job.installed();
        if (candidate == null) {
            return;
        }
        try {
            if (!store.active(job.model()).map(candidate::equals).orElse(false)) {
                store.remove(job.model(), candidate);
            }
        } catch (EdgeLoopException e) {
            LOG.warn("job {}: the candidate {} stays installed: {}", job.jobId(), candidate, e.describe());
        }
    }

    private Path packageFile(String jobId) {
        return dir.resolve(jobId + ".elpkg.part");
    }

    private static boolean complete(Path file, JobDocument doc) {
        return sizeOf(file) == doc.sizeBytes();
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String sha256(Path file) throws JobOutcome {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw PackageDownload.storage("cannot read the downloaded package", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", file, e.toString());
        }
    }

    private static IOException ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    /** The running job's view of its stop signals, deadline and download progress. */
    private final class Control implements PackageDownload.Control {
        private final JobDocument doc;
        private long reportedBytes;
        private long reportedNanos = System.nanoTime();

        Control(JobDocument doc) {
            this.doc = doc;
        }

        void reported(long bytes) {
            reportedBytes = bytes;
            reportedNanos = System.nanoTime();
        }

        @Override
        public void checkContinue() throws JobOutcome, JobStopped {
            if (signals.closed()) {
                throw new JobStopped();
            }
            String request = signals.stopRequest();
            if (request != null) {
                int colon = request.indexOf(':');
                ErrorCode code = ErrorCode.valueOf(request.substring(colon + 1));
                throw new JobOutcome(JobExecutionState.valueOf(request.substring(0, colon)), code, code.advice(),
                        Map.of());
            }
            if (!clock.instant().isBefore(doc.deadline())) {
                throw JobOutcome.of(JobExecutionState.TIMED_OUT, ErrorCode.JOB_TIMED_OUT, "the job's deadline "
                        + doc.deadline() + " passed");
            }
        }

        @Override
        public void checkpoint(long offset) throws EdgeLoopException {
            jobs.offset(doc.jobId(), offset);
        }

        @Override
        public void progress(long offset) {
            long now = System.nanoTime();
            if (offset >= doc.sizeBytes() || now - reportedNanos < options.progressInterval().toNanos()
                    || offset - reportedBytes < options.progressFraction() * doc.sizeBytes()) {
                return;
            }
            try {
                enter(JobStep.DOWNLOADING, Map.of("bytesDownloaded", Long.toString(offset),
                        "sizeBytes", Long.toString(doc.sizeBytes())));
                reported(offset);
            } catch (EdgeLoopException e) {
                LOG.warn("job {}: progress not reported: {}", doc.jobId(), e.describe());
            }
        }

        @Override
        public long millisLeft() {
            return Math.max(0, doc.deadline().toEpochMilli() - clock.millis());
        }

        @Override
        public void pause(long millis) {
            signals.pause(Math.min(millis, Math.max(1, millisLeft())));
        }

        @Override
        public void connection(HttpURLConnection connection) {
            signals.connection(connection);
        }
    }
}
