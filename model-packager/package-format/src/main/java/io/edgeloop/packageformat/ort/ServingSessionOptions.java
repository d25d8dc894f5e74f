package io.edgeloop.packageformat.ort;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The ONNX Runtime session settings the agent serves with, in the one place both the agent's
 * engine and the packager's runner take them from, so that the packager measures int8 plans and
 * variants under the conditions they will be served in: a precision decision measured with other
 * settings (spinning threads, the arena) would be a decision about another program.
 *
 * <ul>
 *   <li>Graph optimization {@code ALL}: ORT fuses QDQ groups into its int8 kernels.</li>
 *   <li>Sequential execution, one inter-op thread; {@code intraOpThreads} for one operator (the
 *       device profile's count in the agent; 1 in the packager, for latency comparable across
 *       machines; 0 means ORT's default).</li>
 *   <li>No spinning: idle pool threads would otherwise spin for work and take the cores the HTTP
 *       thread and the batcher need (measured with wrk on 2 cores: p50 1.36 ms spinning vs
 *       0.33 ms not).</li>
 *   <li>No CPU arena and no memory pattern: the arena keeps the peak of every batch size it has
 *       seen and never gives it back; a device serving for months should hold what it uses now.</li>
 * </ul>
 *
 * <p>The caller owns (closes) the returned options and may add to them (an execution provider,
 * another optimization level for calibration), and should close them once the session is created.
 */
public final class ServingSessionOptions {
    public static final String ALLOW_SPINNING = "session.intra_op.allow_spinning";

    private ServingSessionOptions() {
    }

    /** New session options as the agent serves with, with {@code intraOpThreads} threads per operator. */
    public static OrtSession.SessionOptions create(int intraOpThreads) throws OrtException {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = ONNX Runtime's default), not "
                    + intraOpThreads);
        }
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setIntraOpNumThreads(intraOpThreads);
            so.setInterOpNumThreads(1);
            so.addConfigEntry(ALLOW_SPINNING, "0");
            so.setCPUArenaAllocator(false);
            so.setMemoryPatternOptimization(false);
            return so;
        } catch (OrtException | RuntimeException e) {
            so.close();
            throw e;
        }
    }
}
