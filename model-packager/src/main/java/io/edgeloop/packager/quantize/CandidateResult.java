package io.edgeloop.packager.quantize;

/**
 * The measured figures of fp32 or one candidate plan.
 *
 * @param accuracy       top-1 accuracy on the validation slice
 * @param agreement      fraction of validation samples whose top-1 equals fp32's (1 for fp32)
 * @param latencyP50Us   single-sample latency, one intra-op thread
 * @param throughputPerS samples/s at the planner's batch size, one intra-op thread (best of rounds)
 * @param speedup        throughput / fp32 throughput
 * @param accepted       within every bound and faster than fp32
 * @param verdict        why it was accepted or rejected
 */
public record CandidateResult(String plan, String description, long sizeBytes, double sizeRatio, double accuracy,
                              double agreement, double latencyP50Us, double throughputPerS, double speedup,
                              boolean accepted, String verdict) {
}
