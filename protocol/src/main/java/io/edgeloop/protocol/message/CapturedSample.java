package io.edgeloop.protocol.message;

import io.edgeloop.protocol.InvalidFieldException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One inference an agent captured for retraining: which request and model version it was, what
 * the model answered, and the (first) input tensor's values. On the wire the input travels as
 * {@code inputB64}, the base64 of its little-endian float32 values (a JSON list of floats is
 * about twice the size).
 *
 * <p>The arrays are copied in and out, so a sample is immutable; {@code equals}, {@code hashCode}
 * and {@code toString} look at their contents.
 *
 * @param requestId the inference request's id (the KServe {@code id}), unique per device and model
 * @param model model name
 * @param version model version that answered
 * @param capturedAtMillis when the inference ran, epoch milliseconds
 * @param predicted the top-1 class index, {@code >= 0}
 * @param confidence the top-1 probability, in [0, 1]
 * @param shape the input's concrete shape, each dimension {@code >= 1}; its product is the
 *     number of input values
 * @param input the input's values, all finite
 * @param label the true class when feedback arrived before the sample was uploaded, else {@code null}
 */
public record CapturedSample(String requestId, String model, String version, long capturedAtMillis,
                             int predicted, float confidence, long[] shape, float[] input, Integer label) {
    public CapturedSample {
        FieldChecks.text("requestId", requestId);
        FieldChecks.text("model", model);
        FieldChecks.text("version", version);
        FieldChecks.nonNegative("capturedAtMillis", capturedAtMillis);
        FieldChecks.nonNegative("predicted", predicted);
        FieldChecks.unit("confidence", confidence);
        shape = FieldChecks.present("shape", shape).clone();
        input = FieldChecks.present("input", input).clone();
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 1) {
                throw new InvalidFieldException("shape[" + i + "]", "must be >= 1, was " + shape[i]);
            }
            elements = shape[i] > Long.MAX_VALUE / elements ? Long.MAX_VALUE : elements * shape[i];
        }
        if (elements != input.length) {
            throw new InvalidFieldException("input", "has " + input.length + " values but the shape "
                    + Arrays.toString(shape) + " holds " + (elements == Long.MAX_VALUE ? "too many" : String.valueOf(elements)));
        }
        for (int i = 0; i < input.length; i++) {
            if (!Float.isFinite(input[i])) {
                throw new InvalidFieldException("input[" + i + "]", "must be a finite number, was " + input[i]);
            }
        }
        if (label != null) {
            FieldChecks.nonNegative("label", label);
        }
    }

    /** A copy of the shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A copy of the input values. */
    @Override
    public float[] input() {
        return input.clone();
    }

    /** How many input values the sample holds (no copy). */
    public int inputLength() {
        return input.length;
    }

    /** The same sample with {@code label} (or without one, for {@code null}). */
    public CapturedSample withLabel(Integer newLabel) {
        return new CapturedSample(requestId, model, version, capturedAtMillis, predicted, confidence, shape, input,
                newLabel);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CapturedSample s && capturedAtMillis == s.capturedAtMillis && predicted == s.predicted
                && Float.compare(confidence, s.confidence) == 0 && requestId.equals(s.requestId)
                && model.equals(s.model) && version.equals(s.version) && Arrays.equals(shape, s.shape)
                && Arrays.equals(input, s.input) && Objects.equals(label, s.label);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, model, version, capturedAtMillis, predicted, confidence,
                Arrays.hashCode(shape), Arrays.hashCode(input), label);
    }

    @Override
    public String toString() {
        return "CapturedSample[requestId=" + requestId + ", model=" + model + ", version=" + version
                + ", capturedAtMillis=" + capturedAtMillis + ", predicted=" + predicted + ", confidence=" + confidence
                + ", shape=" + Arrays.toString(shape) + ", input=" + input.length + " values, label=" + label + "]";
    }
}
