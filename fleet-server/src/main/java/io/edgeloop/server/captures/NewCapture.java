package io.edgeloop.server.captures;

/** A capture on its way into the store, its input already as stored bytes. */
record NewCapture(String deviceId, String requestId, String model, String version, long capturedAtMillis,
                  int predicted, float confidence, long[] shape, byte[] input) {
    String key() {
        return deviceId + '\0' + model + '\0' + requestId;
    }
}
