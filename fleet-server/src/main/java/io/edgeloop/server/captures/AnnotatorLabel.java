package io.edgeloop.server.captures;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

/** A label an annotator posts to the server for the capture of (device, model, request id). */
public record AnnotatorLabel(String deviceId, String requestId, String model, int label) {
    /** Checks the fields against what the store keeps; INVALID_ARGUMENT naming the field otherwise. */
    public static AnnotatorLabel of(int index, String deviceId, String requestId, String model, int label)
            throws EdgeLoopException {
        String[][] texts = {{"deviceId", deviceId}, {"requestId", requestId}, {"model", model}};
        for (String[] t : texts) {
            if (t[1] == null || t[1].isBlank()) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "labels[" + index + "]." + t[0]
                        + " is missing or blank");
            }
            String tooLong = CaptureLimits.text("labels[" + index + "]." + t[0], t[1], CaptureLimits.MAX_ID_CHARS);
            if (tooLong != null) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, tooLong);
            }
        }
        if (label < 0) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "labels[" + index + "].label must be a class index"
                    + " >= 0, was " + label);
        }
        return new AnnotatorLabel(deviceId, requestId, model, label);
    }
}
