package io.edgeloop.server.retraining.policy;

/**
 * What the policy reads of one drift window a device reported (telemetry/drift).
 *
 * @param modelVersion      the package version that served the window
 * @param estimatedAccuracy the agent's label-free estimate, or null
 * @param liveAccuracy      accuracy against labels that arrived in the window, or null
 * @param liveLabels        how many labels that live accuracy counts (0 without)
 * @param outputPsi         PSI of the predicted classes against the baseline
 * @param agentDrifted      the agent's whole-window verdict (input and output tests); reported, decides nothing
 * @param estimateOutOfRange the agent flagged the estimate as outside its calibrated range
 */
public record DriftWindowFacts(String deviceId, String modelVersion, long endMillis, long samples,
                               Double estimatedAccuracy, Double liveAccuracy, long liveLabels, double outputPsi,
                               boolean agentDrifted, boolean estimateOutOfRange) {
}
