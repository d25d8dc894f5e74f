package io.edgeloop.server.captures;

/**
 * A captured sample as the server stores it: the device's request, the prediction it served, the
 * input (float32 values in {@code shape}), and its label with the label's source when one arrived
 * ({@code "feedback"} from the agent, {@code "annotator"} posted to the server), or null.
 * {@code id} grows with insertion; lineage names the captures a retraining used by it.
 */
public record StoredCapture(long id, String deviceId, String requestId, String model, String version,
                            long capturedAtMillis, int predicted, float confidence, long[] shape, float[] input,
                            Integer label, String labelSource) {
}
