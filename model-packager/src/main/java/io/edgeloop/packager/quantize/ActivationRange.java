package io.edgeloop.packager.quantize;

/**
 * The calibrated float range of one activation tensor and its uint8 asymmetric quantization
 * parameters. The range always contains 0 so that 0 (padding, ReLU's floor) is exact, which also
 * lets ONNX Runtime fold a ReLU into the following QuantizeLinear.
 */
public record ActivationRange(float min, float max) {

    public ActivationRange {
        if (!(min <= max)) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] is empty or NaN");
        }
    }

    public float scale() {
        float lo = Math.min(0, min);
        float hi = Math.max(0, max);
        float s = (hi - lo) / 255f;
        return s == 0 ? 1f : s;
    }

    public int zeroPoint() {
        float lo = Math.min(0, min);
        return Math.max(0, Math.min(255, Math.round(-lo / scale())));
    }
}
