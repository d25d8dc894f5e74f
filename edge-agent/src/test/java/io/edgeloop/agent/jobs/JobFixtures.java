package io.edgeloop.agent.jobs;

import io.edgeloop.agent.Agent;
import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestModelFiles;
import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.FileEntry;
import io.edgeloop.packageformat.Lineage;
import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.ReferenceSet;
import io.edgeloop.packageformat.VerifiedPackage;
import io.edgeloop.packageformat.PackageWriter;
import io.edgeloop.packageformat.Preprocessing;
import io.edgeloop.packageformat.VariantConstraints;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packageformat.sign.ManifestSigner;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.pkg.PackageBuilder;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.job.JobExecutionState;
import io.edgeloop.protocol.job.JobValidation;
import io.edgeloop.protocol.message.JobDocument;
import io.edgeloop.protocol.message.JobExecutionUpdate;
import io.edgeloop.agent.buffer.OutboxEntry;
import io.edgeloop.agent.buffer.TelemetryOutbox;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Packages, agents and job documents for the job runner's tests. */
final class JobFixtures {
    static final String DEVICE = "dev-1";
    static final String MODEL = "fashion";
    private static final MessageCodec CODEC = new MessageCodec();

    final Path root;
    final KeyPairFiles.Paths keys;
    /** 1.0.0 and 1.1.0: the same MLP (they agree everywhere). */
    final Path v100;
    final Path v110;
    /** 1.2.0: another model under the same name, which disagrees with the MLP. */
    final Path v120Different;
    /** 2.0.0: its only variant wants an aarch64 device. */
    final Path v200ArmOnly;
    /** 1.3.0: the MLP, with reference answers shifted by one class (none agrees). */
    final Path v130WrongAnswers;

    JobFixtures(Path root) throws Exception {
        this.root = root;
        keys = KeyPairFiles.generate(Files.createDirectories(root.resolve("keys")), "publisher");
        KeyPair pair = KeyPairFiles.loadPair(keys.privateKey());
        Path pkgs = Files.createDirectories(root.resolve("packages"));
        v100 = TestPackages.mlpPackage(pkgs, MODEL, "1.0.0", pair);
        v110 = TestPackages.mlpPackage(pkgs, MODEL, "1.1.0", pair);
        v120Different = build(pkgs, "1.2.0", TestPackages.tinyModel(11), VariantConstraints.ANY, pair);
        v200ArmOnly = build(pkgs, "2.0.0", OnnxModel.load(TestModelFiles.softmaxMlp(Files.createDirectories(pkgs.resolve("arm")))),
                new VariantConstraints(List.of(), "aarch64", List.of()), pair);
        v130WrongAnswers = withShiftedAnswers(TestPackages.mlpPackage(Files.createDirectories(pkgs.resolve("src-130")), MODEL,
                "1.3.0", pair), pkgs.resolve(MODEL + "-1.3.0-wrong.elpkg"), pair);
    }

    /** The same package with every expected reference answer moved to the next class, signed again. */
    private Path withShiftedAnswers(Path source, Path target, KeyPair pair) throws Exception {
        VerifiedPackage pkg = new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(source,
                KeyPairFiles.loadPublic(keys.publicKey()));
        ReferenceSet set = pkg.referenceSet().orElseThrow();
        int[] wrong = new int[set.count()];
        for (int i = 0; i < wrong.length; i++) {
            wrong[i] = (set.expectedTop1(i) + 1) % set.classes();
        }
        byte[] bytes = ReferenceSet.of(set.sampleShape(), set.classes(), set.inputs(0, set.count()), wrong).toBytes();
        Path work = Files.createDirectories(target.resolveSibling("shifted"));
        Map<String, Path> files = new LinkedHashMap<>();
        List<FileEntry> entries = new ArrayList<>();
        for (FileEntry f : pkg.manifest().files()) {
            if (f.path().equals(ReferenceSet.ENTRY)) {
                files.put(f.path(), Files.write(work.resolve(ReferenceSet.ENTRY), bytes));
                entries.add(new FileEntry(f.path(), TestPackages.sha256(bytes), bytes.length));
            } else {
                files.put(f.path(), pkg.extractFile(f.path(), work));
                entries.add(f);
            }
        }
        Manifest m = pkg.manifest();
        Manifest changed = new Manifest(m.formatVersion(), m.name(), m.version(), m.createdAt(), m.framework(), entries,
                m.inputs(), m.outputs(), m.preprocessing(), m.labels(), m.variants(), m.metrics(), m.lineage(), m.baseline());
        return new PackageWriter().write(target, changed, files, new ManifestSigner(pair));
    }

    private static Path build(Path dir, String version, OnnxModel model, VariantConstraints constraints, KeyPair keys)
            throws Exception {
        PackageBuilder.Request request = new PackageBuilder.Request(MODEL, version,
                List.of(new PackageBuilder.VariantSource("fp32", "fp32", model, constraints)),
                TestImages.synthetic(300), Preprocessing.IMAGE_UNIT_SCALE, new Lineage(null, null, null, "job tests"));
        Path out = dir.resolve(MODEL + "-" + version + ".elpkg");
        new PackageBuilder(new PackageBuilder.Options(0.01, 64, 2, 1), new PackageWriter(),
                new PrintStream(OutputStream.nullOutputStream())).build(request, new ManifestSigner(keys), out);
        return out;
    }

    AgentOptions options(Path dataDir) {
        return AgentOptions.DEFAULT.withDataDir(dataDir).withPublicKey(keys.publicKey()).withDeviceId(DEVICE)
                .withProfile("generic-x86_64").withHttp(http -> http.withEnabled(false));
    }

    /** An agent serving 1.0.0, with small download chunks and quick retries. */
    Agent agent(Path dataDir, JobOptions jobs, boolean installFirst) throws Exception {
        var builder = Agent.builder(options(dataDir)).jobs(jobs);
        if (installFirst) {
            builder.install(v100);
        }
        Agent agent = builder.start();
        agent.jobs().start();
        return agent;
    }

    static JobOptions jobOptions() {
        return JobOptions.DEFAULTS.withChunkBytes(16 * 1024).withRetry(Duration.ofMillis(50), Duration.ofMillis(200))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    static JobDocument doc(String jobId, Path pkg, String url, String version, Instant deadline, JobValidation validation)
            throws Exception {
        return new JobDocument(DEVICE, Instant.now(), 1, jobId, "rollout-1", MODEL, version, url,
                TestPackages.sha256(Files.readAllBytes(pkg)), Files.size(pkg), deadline, false, false, validation);
    }

    static Instant inAMinute() {
        return Instant.now().plusSeconds(60);
    }

    /** The job updates of {@code jobId} waiting in the agent's outbox, in the order they go out. */
    static List<JobExecutionUpdate> updates(Agent agent, String jobId) throws Exception {
        List<JobExecutionUpdate> out = new ArrayList<>();
        for (OutboxEntry e : agent.outbox().pending(TelemetryOutbox.JOB_UPDATES, 100_000)) {
            JobExecutionUpdate u = CODEC.decode(e.payload(), JobExecutionUpdate.class);
            if (u.jobId().equals(jobId)) {
                out.add(u);
            }
        }
        return out;
    }

    static JobExecutionUpdate last(Agent agent, String jobId) throws Exception {
        List<JobExecutionUpdate> all = updates(agent, jobId);
        return all.get(all.size() - 1);
    }

    /** Waits until the job reaches {@code state}; fails after {@code seconds}. */
    static void await(Agent agent, String jobId, JobExecutionState state, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Optional<JobExecutionState> now;
        do {
            now = agent.jobs().state(jobId);
            if (now.isPresent() && now.get() == state) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("job " + jobId + " is " + now + " after " + seconds + " s, not " + state + "; updates "
                + updates(agent, jobId));
    }

    /** Waits for a condition on the agent. */
    static void until(String what, int seconds, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }

    /** One live inference on the active version (what a shadow candidate is compared on). */
    static void infer(Agent agent, int i) throws EdgeLoopException {
        float[] row = Arrays.copyOfRange(IMAGES, (i % 300) * 784, (i % 300 + 1) * 784);
        agent.inference().infer(MODEL, null, null, List.of(Tensor.of("input", row, 1, 784)), false).join();
    }

    private static final float[] IMAGES = TestImages.synthetic(300).features();
}
