package io.edgeloop.packager.onnx;

/**
 * How an {@link OrtRunner} configures its ONNX Runtime session, on top of the settings the agent
 * serves with ({@code io.edgeloop.packageformat.ort.ServingSessionOptions}).
 *
 * @param intraOpThreads threads one operator may use; 1 for latency figures comparable across machines
 * @param optimization   graph optimization level; {@code ALL} lets ORT fuse QDQ groups into int8 kernels
 */
public record RunnerOptions(int intraOpThreads, Optimization optimization) {
    public static final int DEFAULT_INTRA_OP_THREADS = 1;
    public static final Optimization DEFAULT_OPTIMIZATION = Optimization.ALL;
    public static final RunnerOptions DEFAULT = new RunnerOptions(DEFAULT_INTRA_OP_THREADS, DEFAULT_OPTIMIZATION);

    /** ORT graph optimization levels, named as in the ORT documentation. */
    public enum Optimization { NONE, BASIC, EXTENDED, ALL }

    public RunnerOptions {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = ORT's default), not " + intraOpThreads);
        }
        if (optimization == null) {
            throw new IllegalArgumentException("optimization is required");
        }
    }

    public RunnerOptions withThreads(int threads) {
        return new RunnerOptions(threads, optimization);
    }
}
