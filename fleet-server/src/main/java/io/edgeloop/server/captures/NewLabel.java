package io.edgeloop.server.captures;

/** A label on its way into the store, for the capture of (device, model, request id), stored or not yet. */
record NewLabel(String deviceId, String requestId, String model, int label, long labelledAtMillis, String source) {
}
