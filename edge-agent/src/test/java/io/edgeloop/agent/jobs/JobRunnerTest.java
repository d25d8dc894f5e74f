package io.edgeloop.agent.jobs;

import io.edgeloop.agent.Agent;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobStep;
import io.edgeloop.protocol.job.JobValidation;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.CommandName;
import io.edgeloop.protocol.message.JobDocument;
import io.edgeloop.protocol.message.JobExecutionUpdate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.edgeloop.agent.jobs.JobFixtures.MODEL;
import static io.edgeloop.agent.jobs.JobFixtures.await;
import static io.edgeloop.agent.jobs.JobFixtures.doc;
import static io.edgeloop.agent.jobs.JobFixtures.inAMinute;
import static io.edgeloop.agent.jobs.JobFixtures.jobOptions;
import static io.edgeloop.agent.jobs.JobFixtures.last;
import static io.edgeloop.agent.jobs.JobFixtures.updates;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job runner in a real agent (real RocksDB, model store and ONNX Runtime sessions) against a
 * real HTTP server with range support, with real signed packages; the updates are read from the
 * agent's outbox, where the fleet link would send them from.
 */
class JobRunnerTest {
    @TempDir
    static Path dir;
    static JobFixtures fx;

    @BeforeAll
    static void fixtures() throws Exception {
        fx = new JobFixtures(dir.resolve("fixtures"));
    }

    /** State/step of each update, download progress updates folded into the first. */
    private static List<String> steps(List<JobExecutionUpdate> updates) {
        List<String> out = new java.util.ArrayList<>();
        for (JobExecutionUpdate u : updates) {
            String s = u.state() + (u.step() == null ? "" : "/" + u.step());
            boolean progress = u.step() == JobStep.DOWNLOADING && !out.isEmpty() && out.get(out.size() - 1).equals(s);
            if (!progress) {
                out.add(s);
            }
        }
        return out;
    }

    /** Sends live requests until the job is in VALIDATING, then until it ends (at most 60 s). */
    private static void trafficUntilEnd(Agent agent, String jobId) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (int i = 0; !agent.jobs().state(jobId).orElseThrow().isTerminal() && System.nanoTime() < deadline; i++) {
            JobFixtures.infer(agent, i);
        }
    }

    @Test
    void aJobGoesThroughEveryStepInOrderWithVersionsOneByOne() throws Exception {
        try (PackageServer server = new PackageServer(); Agent agent = fx.agent(dir.resolve("happy"), jobOptions(), true)) {
            String url = server.serve("v110", fx.v110);
            agent.jobs().job(doc("job-1", fx.v110, url, "1.1.0", inAMinute(), JobValidation.NONE));
            await(agent, "job-1", JobExecutionState.SUCCEEDED, 60);
            List<JobExecutionUpdate> updates = updates(agent, "job-1");
            List<String> steps = steps(updates);
            assertEquals(List.of("IN_PROGRESS/DOWNLOADING", "IN_PROGRESS/VERIFYING", "IN_PROGRESS/INSTALLING",
                    "IN_PROGRESS/VALIDATING", "IN_PROGRESS/ACTIVATING", "SUCCEEDED/ACTIVATING"), steps);
            for (int i = 0; i < updates.size(); i++) {
                assertEquals(i + 1, updates.get(i).version(), "update versions grow by one: " + updates);
            }
            JobExecutionUpdate done = last(agent, "job-1");
            assertEquals("1.1.0", done.statusDetails().get("activatedVersion"));
            assertEquals("1.0.0", done.statusDetails().get("previousVersion"));
            assertEquals("fp32", done.statusDetails().get("variant"));
            assertEquals("1.1.0", agent.registry().activeVersions().get(MODEL));
            assertEquals(List.of("1.1.0", "1.0.0"), agent.store().history(MODEL));
            assertEquals(Files.size(fx.v110), server.bytesSent(), "the package was fetched once");
            assertEquals((Files.size(fx.v110) + jobOptions().chunkBytes() - 1) / jobOptions().chunkBytes(),
                    server.rangeStarts().size(), "one request per chunk");
            assertEquals(List.of(), agent.jobs().pending());
            System.out.printf("job runner happy path: %d updates %s, %d bytes fetched for a %d-byte package%n",
                    updates.size(), steps(updates), server.bytesSent(), Files.size(fx.v110));
        }
    }

    @Test
    void aDownloadStoppedMidwayResumesFromItsStoredOffsetFetchingLessThanAChunkAgain() throws Exception {
        Path data = dir.resolve("resume");
        int chunk = jobOptions().chunkBytes();
        long size = Files.size(fx.v110);
        long stallAt = 5L * chunk / 2;
        try (PackageServer server = new PackageServer()) {
            String url = server.serve("v110", fx.v110);
            server.stallAfter(stallAt);
            JobDocument job = doc("job-r", fx.v110, url, "1.1.0", inAMinute(), JobValidation.NONE);
            int before;
            try (Agent agent = fx.agent(data, jobOptions(), true)) {
                agent.jobs().job(job);
                assertTrue(server.awaitStalled(30), "the transfer reached the stall point");
                JobFixtures.until("offset of 2 chunks stored", 30,
                        () -> agent.state().getLong(JobStore.OFFSET + "job-r", 0) == 2L * chunk);
                // closing stops the runner like a crash would: nothing past the last chunk is stored
                before = updates(agent, "job-r").size();
            }
            server.dropStalled();
            try (Agent agent = fx.agent(data, jobOptions(), false)) {
                await(agent, "job-r", JobExecutionState.SUCCEEDED, 60);
                List<JobExecutionUpdate> updates = updates(agent, "job-r");
                List<Long> starts = server.rangeStarts();
                assertEquals(List.of(0L, (long) chunk, 2L * chunk, 2L * chunk), starts.subList(0, 4),
                        "one chunk per request; after the restart the next GET resumed at the stored offset: " + starts);
                long fetchedTwice = server.bytesSent() - size;
                assertTrue(fetchedTwice >= 0 && fetchedTwice <= chunk, "fetched twice: " + fetchedTwice);
                assertEquals("1.1.0", agent.registry().activeVersions().get(MODEL));
                JobExecutionUpdate resumed = updates.get(before);
                assertEquals(JobStep.DOWNLOADING, resumed.step());
                assertEquals(Long.toString(2L * chunk), resumed.statusDetails().get("bytesDownloaded"));
                for (int i = 0; i < updates.size(); i++) {
                    assertEquals(i + 1, updates.get(i).version(), "versions go on across the restart: " + updates);
                }
                assertFalse(Files.exists(data.resolve("jobs").resolve("job-r.elpkg.part")), "the partial file is gone");
                System.out.printf("download resume: %d-byte package, chunk %d, stopped after %d bytes sent, offset %d stored;"
                                + " %d bytes fetched in all, %d fetched twice%n", size, chunk, stallAt, 2L * chunk,
                        server.bytesSent(), fetchedTwice);
            }
        }
    }

    @Test
    void aFullDiskDuringTheDownloadFailsWithDiskFullAndTheOldVersionServes() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        // Room for the first checks, then the disk "fills up" mid-download.
        JobOptions full = jobOptions().withReserveBytes(0).withDiskSpace(d -> checks.incrementAndGet() <= 3 ? 1L << 40 : 1000);
        try (PackageServer server = new PackageServer(); Agent agent = fx.agent(dir.resolve("full"), full, true)) {
            String url = server.serve("v110", fx.v110);
            agent.jobs().job(doc("job-f", fx.v110, url, "1.1.0", inAMinute(), JobValidation.NONE));
            await(agent, "job-f", JobExecutionState.FAILED, 60);
            JobExecutionUpdate end = last(agent, "job-f");
            assertEquals(ErrorCode.DISK_FULL, end.errorCode());
            assertEquals(JobStep.DOWNLOADING, end.step());
            assertTrue(checks.get() > 3, "the disk filled up after the download had begun: " + checks.get() + " checks");
            assertEquals("1.0.0", agent.registry().activeVersions().get(MODEL));
            assertEquals(List.of("1.0.0"), agent.store().versions(MODEL));
            JobFixtures.infer(agent, 0);
        }
    }

    @Test
    void withoutItsOwnKeyTheAgentVerifiesWithTheKeysEnrolmentGaveIt() throws Exception {
        Path data = dir.resolve("enrolled-keys");
        java.util.function.UnaryOperator<io.edgeloop.agent.config.AgentOptions> noKey = o -> o.withPublicKey(null);
        try (PackageServer server = new PackageServer()) {
            String url = server.serve("v110", fx.v110);
            try (Agent agent = Agent.builder(noKey.apply(fx.options(data))).jobs(jobOptions()).install(fx.v100)
                    .installers(List.of((store, options, device) -> new io.edgeloop.agent.store.PackageInstaller(store,
                            new io.edgeloop.packageformat.PackageVerifier(io.edgeloop.packageformat.PackageVerifier.Options.DEFAULTS),
                            () -> io.edgeloop.packageformat.sign.KeyPairFiles.loadPublic(fx.keys.publicKey()),
                            io.edgeloop.packageformat.KnownProfiles.traits(device), io.edgeloop.packageformat.KnownProfiles.ALL)))
                    .start()) {
                agent.jobs().start();
                agent.jobs().job(doc("job-nokey", fx.v110, url, "1.1.0", inAMinute(), JobValidation.NONE));
                await(agent, "job-nokey", JobExecutionState.FAILED, 60);
                assertEquals(ErrorCode.PACKAGE_KEY_MISSING, last(agent, "job-nokey").errorCode());
                String encoded = java.util.Base64.getEncoder().encodeToString(
                        io.edgeloop.packageformat.sign.KeyPairFiles.loadPublic(fx.keys.publicKey()).getEncoded());
                new io.edgeloop.agent.link.CredentialStore(agent.state()).save(new io.edgeloop.agent.link.FleetCredentials(
                        JobFixtures.DEVICE, "tcp://127.0.0.1:1", JobFixtures.DEVICE, "secret", List.of(encoded)));
                agent.jobs().job(doc("job-enrolled", fx.v110, url, "1.1.0", inAMinute(), JobValidation.NONE));
                await(agent, "job-enrolled", JobExecutionState.SUCCEEDED, 60);
                assertEquals("1.1.0", agent.registry().activeVersions().get(MODEL));
            }
        }
    }

    @Test
    void serverErrorsAreRetriedWithBackOffAndAMissingPackageFailsWithTheServersCode() throws Exception {
        try (PackageServer server = new PackageServer(); Agent agent = fx.agent(dir.resolve("retry"), jobOptions(), true)) {
            String url = server.serve("v110", fx.v110);
            server.failNext(3);
            agent.jobs().job(doc("job-503", fx.v110, url, "1.1.0", inAMinute(), JobValidation.NONE));
            await(agent, "job-503", JobExecutionState.SUCCEEDED, 60);
            assertEquals(List.of(-1L, -1L, -1L, 0L), server.rangeStarts().subList(0, 4), "three 503s, then the download");
            agent.jobs().job(doc("job-404", fx.v110, url.replace("v110", "gone"), "1.2.0", inAMinute(), JobValidation.NONE));
            await(agent, "job-404", JobExecutionState.FAILED, 30);
            assertEquals(ErrorCode.PACKAGE_NOT_FOUND, last(agent, "job-404").errorCode());
            assertEquals(JobStep.DOWNLOADING, last(agent, "job-404").step());
        }
    }

    @Test
    void progressIsReportedAtMostEverySecondAndTenPercent() throws Exception {
        try (PackageServer server = new PackageServer(); Agent agent = fx.agent(dir.resolve("progress"), jobOptions(), true)) {
            String url = server.serve("v110", fx.v110);
            long size = Files.size(fx.v110);
            // About 100 pieces of 4 KiB at 40 ms: a download of some 4 s.
            server.throttle(40);
            agent.jobs().job(doc("job-p", fx.v110, url, "1.1.0", inAMinute(), JobValidation.NONE));
            await(agent, "job-p", JobExecutionState.SUCCEEDED, 60);
            List<JobExecutionUpdate> downloading = updates(agent, "job-p").stream()
                    .filter(u -> u.step() == JobStep.DOWNLOADING).toList();
            assertTrue(downloading.size() >= 2, "some progress was reported: " + downloading);
            for (int i = 1; i < downloading.size(); i++) {
                long bytes = Long.parseLong(downloading.get(i).statusDetails().get("bytesDownloaded"));
                long before = Long.parseLong(downloading.get(i - 1).statusDetails().get("bytesDownloaded"));
                assertTrue(bytes - before >= size / 10, "at least 10 % apart: " + downloading);
                assertTrue(java.time.Duration.between(downloading.get(i - 1).ts(), downloading.get(i).ts()).toMillis() >= 990,
                        "at least a second apart: " + downloading);
            }
            System.out.printf("download progress: %d DOWNLOADING updates for a %d-byte package over %s%n", downloading.size(),
                    size, java.time.Duration.between(downloading.get(0).ts(), last(agent, "job-p").ts()));
        }
    }

    @Test
    void aWriteFailingForWantOfSpaceIsDiskFull() {
        assertEquals(ErrorCode.DISK_FULL, PackageDownload.storage("writing", new java.io.IOException("No space left on device"))
                .code());
        assertEquals(ErrorCode.STORAGE_FAILED, PackageDownload.storage("writing", new java.io.IOException("Input/output error"))
                .code());
    }

    @Test
    void aJobForTheActiveVersionSucceedsWithoutDownloadingAndOneForAnOlderVersionIsRefused() throws Exception {
        try (PackageServer server = new PackageServer(); Agent agent = fx.agent(dir.resolve("same"), jobOptions(), true)) {
            String url = server.serve("v100", fx.v100);
            agent.jobs().job(doc("job-same", fx.v100, url, "1.0.0", inAMinute(), JobValidation.NONE));
            await(agent, "job-same", JobExecutionState.SUCCEEDED, 30);
            assertEquals(List.of("IN_PROGRESS/ACTIVATING", "SUCCEEDED/ACTIVATING"), steps(updates(agent, "job-same")));
            assertEquals("true", last(agent, "job-same").statusDetails().get("alreadyActive"));
            String newer = server.serve("v110", fx.v110);
            agent.jobs().job(doc("job-up", fx.v110, newer, "1.1.0", inAMinute(), JobValidation.NONE));
            await(agent, "job-up", JobExecutionState.SUCCEEDED, 60);
            agent.jobs().job(doc("job-down", fx.v100, url, "1.0.0", inAMinute(), JobValidation.NONE));
            await(agent, "job-down", JobExecutionState.REJECTED, 30);
            assertEquals(ErrorCode.DOWNGRADE_REFUSED, last(agent, "job-down").errorCode());
            assertEquals(0, server.requestsFrom(0) - 1, "only 1.1.0 was downloaded: " + server.rangeStarts());
            assertEquals("1.1.0", agent.registry().activeVersions().get(MODEL));
        }
    }

    @Test
    void aShaMismatchFailsVerification() throws Exception {
        try (PackageServer server = new PackageServer(); Agent agent = fx.agent(dir.resolve("sha"), jobOptions(), true)) {
            String url = server.serve("v110", fx.v110);
            JobDocument good = doc("job-s", fx.v110, url, "1.1.0", inAMinute(), JobValidation.NONE);
            JobDocument bad = new JobDocument(good.deviceId(), good.ts(), good.seq(), good.jobId(), good.rolloutId(),
                    good.packageName(), good.packageVersion(), good.downloadUrl(), "0".repeat(64), good.sizeBytes(),
                    good.deadline(), false, false, JobValidation.NONE);
            agent.jobs().job(bad);
            await(agent, "job-s", JobExecutionState.FAILED, 60);
            JobExecutionUpdate end = last(agent, "job-s");
            assertEquals(ErrorCode.PACKAGE_HASH_MISMATCH, end.errorCode());
            assertEquals(JobStep.VERIFYING, end.step());
            assertTrue(end.statusDetails().get("reason").contains("sha256"), end.statusDetails().toString());
            assertEquals("1.0.0", agent.registry().activeVersions().get(MODEL));
        }
    }

    @Test
    void aPackageWithoutAVariantForThisDeviceIsRejectedWithItsReason() throws Exception {
        try (PackageServer server = new PackageServer(); Agent agent = fx.agent(dir.resolve("variant"), jobOptions(), true)) {
            String url = server.serve("v200", fx.v200ArmOnly);
            agent.jobs().job(doc("job-v", fx.v200ArmOnly, url, "2.0.0", inAMinute(), JobValidation.NONE));
            await(agent, "job-v", JobExecutionState.REJECTED, 60);
            JobExecutionUpdate end = last(agent, "job-v");
            assertEquals(ErrorCode.PACKAGE_NO_COMPATIBLE_VARIANT, end.errorCode());
            assertTrue(end.statusDetails().get("reason").contains("generic-x86_64"), end.statusDetails().toString());
            assertEquals(List.of("1.0.0"), agent.store().versions(MODEL));
        }
    }

    @Test
    void aCandidateThatDisagreesInShadowFailsValidationAndIsRemoved() throws Exception {
        try (PackageServer server = new PackageServer(); Agent agent = fx.agent(dir.resolve("shadow-bad"), jobOptions(), true)) {
            String url = server.serve("v120", fx.v120Different);
            agent.jobs().job(doc("job-b", fx.v120Different, url, "1.2.0", inAMinute(),
                    new JobValidation(JobValidation.Mode.SHADOW, 40, 0.9)));
            trafficUntilEnd(agent, "job-b");
            await(agent, "job-b", JobExecutionState.FAILED, 60);
            JobExecutionUpdate end = last(agent, "job-b");
            assertEquals(ErrorCode.VALIDATION_FAILED, end.errorCode());
            assertEquals(JobStep.VALIDATING, end.step());
            double agreement = Double.parseDouble(end.statusDetails().get("agreement"));
            assertTrue(agreement < 0.9, end.statusDetails().toString());
            assertEquals("1.0.0", agent.registry().activeVersions().get(MODEL));
            assertEquals(List.of("1.0.0"), agent.store().versions(MODEL), "the candidate was removed");
            assertEquals(Map.of(), agent.registry().shadowVersions());
            System.out.printf("shadow validation of a different model: agreement %s on %s requests -> %s%n",
                    end.statusDetails().get("agreement"), end.statusDetails().get("compared"), end.errorCode());
        }
    }

    @Test
    void aCandidateThatAgreesInShadowIsActivated() throws Exception {
        try (PackageServer server = new PackageServer(); Agent agent = fx.agent(dir.resolve("shadow-good"), jobOptions(), true)) {
            String url = server.serve("v110", fx.v110);
            agent.jobs().job(doc("job-g", fx.v110, url, "1.1.0", inAMinute(),
                    new JobValidation(JobValidation.Mode.SHADOW, 20, 0.95)));
            trafficUntilEnd(agent, "job-g");
            await(agent, "job-g", JobExecutionState.SUCCEEDED, 60);
            assertEquals("1.0000", last(agent, "job-g").statusDetails().get("agreement"));
            assertEquals("1.1.0", agent.registry().activeVersions().get(MODEL));
        }
    }

    @Test
    void referenceValidationActivatesACandidateThatGivesTheExpectedAnswers() throws Exception {
        try (PackageServer server = new PackageServer(); Agent agent = fx.agent(dir.resolve("ref-good"), jobOptions(), true)) {
            String url = server.serve("v110", fx.v110);
            agent.jobs().job(doc("job-rg", fx.v110, url, "1.1.0", inAMinute(),
                    new JobValidation(JobValidation.Mode.REFERENCE, 0, 0.95)));
            await(agent, "job-rg", JobExecutionState.SUCCEEDED, 60);
            JobExecutionUpdate end = last(agent, "job-rg");
            assertEquals("1.0000", end.statusDetails().get("agreement"));
            assertEquals("64", end.statusDetails().get("compared"));
            assertEquals("1.1.0", agent.registry().activeVersions().get(MODEL));
        }
    }

    @Test
    void referenceValidationFailsACandidateWhoseExpectedAnswersDisagree() throws Exception {
        try (PackageServer server = new PackageServer(); Agent agent = fx.agent(dir.resolve("ref-bad"), jobOptions(), true)) {
            String url = server.serve("v130", fx.v130WrongAnswers);
            agent.jobs().job(doc("job-rw", fx.v130WrongAnswers, url, "1.3.0", inAMinute(),
                    new JobValidation(JobValidation.Mode.REFERENCE, 32, 0.95)));
            await(agent, "job-rw", JobExecutionState.FAILED, 60);
            JobExecutionUpdate end = last(agent, "job-rw");
            assertEquals(ErrorCode.VALIDATION_FAILED, end.errorCode());
            assertEquals(JobStep.VALIDATING, end.step());
            assertEquals("0.0000", end.statusDetails().get("agreement"));
            assertEquals("32", end.statusDetails().get("compared"));
            assertEquals("1.0.0", agent.registry().activeVersions().get(MODEL), "the old version serves");
            assertEquals(List.of("1.0.0"), agent.store().versions(MODEL), "the candidate was removed");
            JobFixtures.infer(agent, 2);
        }
    }

    @Test
    void aCancelAbortsTheDownloadAndKeepsTheActiveVersion() throws Exception {
        try (PackageServer server = new PackageServer(); Agent agent = fx.agent(dir.resolve("cancel"), jobOptions(), true)) {
            String url = server.serve("v110", fx.v110);
            server.stallAfter(3L * jobOptions().chunkBytes());
            agent.jobs().job(doc("job-c", fx.v110, url, "1.1.0", inAMinute(), JobValidation.NONE));
            assertTrue(server.awaitStalled(30));
            agent.jobs().command(new Command(JobFixtures.DEVICE, Instant.now(), 7, CommandName.CANCEL,
                    Map.of("jobId", "job-c", "reason", "JOB_SUPERSEDED")));
            await(agent, "job-c", JobExecutionState.CANCELED, 10);
            assertEquals(ErrorCode.JOB_SUPERSEDED, last(agent, "job-c").errorCode());
            assertEquals(JobStep.DOWNLOADING, last(agent, "job-c").step());
            assertEquals("1.0.0", agent.registry().activeVersions().get(MODEL));
            assertFalse(Files.exists(dir.resolve("cancel").resolve("jobs").resolve("job-c.elpkg.part")));
            // A cancel of a job whose document has not come yet ends it when it comes.
            agent.jobs().command(new Command(JobFixtures.DEVICE, Instant.now(), 8, CommandName.CANCEL, Map.of("jobId", "job-later")));
            agent.jobs().job(doc("job-later", fx.v110, url, "1.1.0", inAMinute(), JobValidation.NONE));
            await(agent, "job-later", JobExecutionState.CANCELED, 10);
            assertEquals(ErrorCode.JOB_CANCELED, last(agent, "job-later").errorCode());
            assertEquals(1, updates(agent, "job-later").size());
        }
    }

    @Test
    void rollbackRevertsTheJobsVersionAndReportsRolledBackOnce() throws Exception {
        try (PackageServer server = new PackageServer(); Agent agent = fx.agent(dir.resolve("rollback"), jobOptions(), true)) {
            String url = server.serve("v110", fx.v110);
            agent.jobs().job(doc("job-rb", fx.v110, url, "1.1.0", inAMinute(), JobValidation.NONE));
            await(agent, "job-rb", JobExecutionState.SUCCEEDED, 60);
            Command rollback = new Command(JobFixtures.DEVICE, Instant.now(), 9, CommandName.ROLLBACK,
                    Map.of("model", MODEL, "jobId", "job-rb"));
            agent.jobs().command(rollback);
            await(agent, "job-rb", JobExecutionState.ROLLED_BACK, 10);
            JobExecutionUpdate end = last(agent, "job-rb");
            assertEquals(ErrorCode.ROLLED_BACK, end.errorCode());
            assertEquals("1.0.0", end.statusDetails().get("activeVersion"));
            assertEquals("1.0.0", agent.registry().activeVersions().get(MODEL));
            int before = updates(agent, "job-rb").size();
            agent.jobs().command(rollback);
            assertEquals("1.0.0", agent.registry().activeVersions().get(MODEL), "a second rollback changes nothing");
            List<JobExecutionUpdate> after = updates(agent, "job-rb");
            assertEquals(before + 1, after.size());
            assertEquals(JobExecutionState.ROLLED_BACK, after.get(after.size() - 1).state());
            JobFixtures.infer(agent, 1);
        }
    }

    @Test
    void aRollbackOfAJobStillWaitingEndsItAndOfARunningOneStopsIt() throws Exception {
        try (PackageServer server = new PackageServer(); Agent agent = fx.agent(dir.resolve("rollback-early"), jobOptions(), true)) {
            String url = server.serve("v110", fx.v110);
            server.stallAfter(jobOptions().chunkBytes());
            agent.jobs().job(doc("job-run", fx.v110, url, "1.1.0", inAMinute(), JobValidation.NONE));
            agent.jobs().job(doc("job-wait", fx.v110, url, "1.1.0", inAMinute(), JobValidation.NONE));
            assertTrue(server.awaitStalled(30));
            agent.jobs().command(new Command(JobFixtures.DEVICE, Instant.now(), 11, CommandName.ROLLBACK,
                    Map.of("model", MODEL, "jobId", "job-wait")));
            // Never started: the state machine lets a queued job end CANCELED, with the rollback's code.
            await(agent, "job-wait", JobExecutionState.CANCELED, 10);
            assertEquals(ErrorCode.ROLLED_BACK, last(agent, "job-wait").errorCode());
            agent.jobs().command(new Command(JobFixtures.DEVICE, Instant.now(), 12, CommandName.ROLLBACK,
                    Map.of("model", MODEL, "jobId", "job-run")));
            await(agent, "job-run", JobExecutionState.ROLLED_BACK, 10);
            assertEquals(ErrorCode.ROLLED_BACK, last(agent, "job-run").errorCode());
            assertEquals("1.0.0", agent.registry().activeVersions().get(MODEL));
            assertEquals(List.of(), agent.jobs().pending());
        }
    }

    @Test
    void aJobPastItsDeadlineTimesOut() throws Exception {
        try (PackageServer server = new PackageServer(); Agent agent = fx.agent(dir.resolve("timeout"), jobOptions(), true)) {
            String url = server.serve("v110", fx.v110);
            server.stallAfter(jobOptions().chunkBytes());
            agent.jobs().job(doc("job-t", fx.v110, url, "1.1.0", Instant.now().plusMillis(1500), JobValidation.NONE));
            await(agent, "job-t", JobExecutionState.TIMED_OUT, 30);
            assertEquals(ErrorCode.JOB_TIMED_OUT, last(agent, "job-t").errorCode());
            assertEquals("1.0.0", agent.registry().activeVersions().get(MODEL));
        }
    }

    @Test
    void aDocumentDeliveredTwiceRunsOnceAndAFinishedOneReportsItsEndAgain() throws Exception {
        try (PackageServer server = new PackageServer(); Agent agent = fx.agent(dir.resolve("dup"), jobOptions(), true)) {
            String url = server.serve("v110", fx.v110);
            server.stallAfter(jobOptions().chunkBytes());
            JobDocument job = doc("job-d", fx.v110, url, "1.1.0", inAMinute(), JobValidation.NONE);
            agent.jobs().job(job);
            // A second job of the same model waits for the first.
            agent.jobs().job(doc("job-d2", fx.v110, url, "1.1.0", inAMinute(), JobValidation.NONE));
            assertTrue(server.awaitStalled(30));
            agent.jobs().job(job);
            assertEquals(List.of("job-d", "job-d2"), agent.jobs().pending());
            assertEquals(List.of(), updates(agent, "job-d2"), "the second job has not started");
            server.release();
            await(agent, "job-d", JobExecutionState.SUCCEEDED, 60);
            await(agent, "job-d2", JobExecutionState.SUCCEEDED, 60);
            assertEquals(1, server.requestsFrom(0), "one download: " + server.rangeStarts());
            // Its turn came with 1.1.0 already active: nothing to fetch.
            assertEquals(List.of("IN_PROGRESS/ACTIVATING", "SUCCEEDED/ACTIVATING"), steps(updates(agent, "job-d2")));
            int before = updates(agent, "job-d").size();
            agent.jobs().job(job);
            List<JobExecutionUpdate> after = updates(agent, "job-d");
            assertEquals(before + 1, after.size());
            assertEquals(JobExecutionState.SUCCEEDED, after.get(after.size() - 1).state());
            assertEquals(before + 1, after.get(after.size() - 1).version());
            assertEquals(1, server.requestsFrom(0), "not downloaded again");
        }
    }

    @Test
    void aRestartDuringValidationResumesValidatingWithoutDownloadingAgain() throws Exception {
        Path data = dir.resolve("restart-validating");
        try (PackageServer server = new PackageServer()) {
            String url = server.serve("v110", fx.v110);
            JobDocument job = doc("job-rv", fx.v110, url, "1.1.0", inAMinute(),
                    new JobValidation(JobValidation.Mode.SHADOW, 10, 0.9));
            try (Agent agent = fx.agent(data, jobOptions(), true)) {
                agent.jobs().job(job);
                // No traffic: the job waits in VALIDATING for live requests to compare.
                JobFixtures.until("VALIDATING", 60, () -> !updates(agent, "job-rv").isEmpty()
                        && last(agent, "job-rv").step() == JobStep.VALIDATING);
            }
            try (Agent agent = fx.agent(data, jobOptions(), false)) {
                assertEquals("1.0.0", agent.registry().activeVersions().get(MODEL), "the candidate is not active yet");
                JobFixtures.until("VALIDATING again", 30, () -> updates(agent, "job-rv").stream()
                        .filter(u -> u.step() == JobStep.VALIDATING).count() == 2);
                trafficUntilEnd(agent, "job-rv");
                await(agent, "job-rv", JobExecutionState.SUCCEEDED, 60);
                assertEquals("1.1.0", agent.registry().activeVersions().get(MODEL));
                assertEquals(1, server.requestsFrom(0), "downloaded once");
                assertEquals(Files.size(fx.v110), server.bytesSent());
                List<String> steps = steps(updates(agent, "job-rv"));
                assertEquals(List.of("IN_PROGRESS/DOWNLOADING", "IN_PROGRESS/VERIFYING", "IN_PROGRESS/INSTALLING",
                        "IN_PROGRESS/VALIDATING", "IN_PROGRESS/VALIDATING", "IN_PROGRESS/ACTIVATING", "SUCCEEDED/ACTIVATING"),
                        steps);
            }
        }
    }

    @Test
    void aRestartDuringInstallingInstallsOnce() throws Exception {
        Path data = dir.resolve("restart-installing");
        try (PackageServer server = new PackageServer()) {
            String url = server.serve("v110", fx.v110);
            JobDocument job = doc("job-ri", fx.v110, url, "1.1.0", inAMinute(), JobValidation.NONE);
            JobRecord installing;
            try (Agent agent = fx.agent(data, jobOptions(), true)) {
                agent.jobs().job(job);
                await(agent, "job-ri", JobExecutionState.SUCCEEDED, 60);
            }
            // The state a crash inside INSTALLING leaves: the record says INSTALLING, the version is
            // in the store (or not), the package file is complete.
            try (Agent agent = fx.agent(dir.resolve("restart-installing-2"), jobOptions(), true)) {
                agent.jobs().close();
                JobStore store = new JobStore(agent.state(), agent.outbox(), new io.edgeloop.protocol.codec.MessageCodec(),
                        JobFixtures.DEVICE, java.time.Clock.systemUTC());
                installing = store.enqueue(new JobRecord("job-ri", 0, new String(new io.edgeloop.protocol.codec.MessageCodec()
                        .encode(job), java.nio.charset.StandardCharsets.UTF_8), MODEL, JobExecutionState.QUEUED, null, 0, null,
                        Map.of(), null, null));
                installing = store.report(installing, JobExecutionState.IN_PROGRESS, JobStep.INSTALLING, null, Map.of());
                Files.copy(fx.v110, dir.resolve("restart-installing-2").resolve("jobs").resolve("job-ri.elpkg.part"));
            }
            try (Agent agent = fx.agent(dir.resolve("restart-installing-2"), jobOptions(), false)) {
                await(agent, "job-ri", JobExecutionState.SUCCEEDED, 60);
                assertEquals("1.1.0", agent.registry().activeVersions().get(MODEL));
                assertEquals(List.of("IN_PROGRESS/INSTALLING", "IN_PROGRESS/INSTALLING", "IN_PROGRESS/VALIDATING",
                        "IN_PROGRESS/ACTIVATING", "SUCCEEDED/ACTIVATING"), steps(updates(agent, "job-ri")));
                assertEquals(1, server.requestsFrom(0), "the second agent never downloaded");
            }
        }
    }
}
