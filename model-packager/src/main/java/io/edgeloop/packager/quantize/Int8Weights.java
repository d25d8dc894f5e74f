package io.edgeloop.packager.quantize;

/**
 * Symmetric int8 quantization of a float weight tensor, per tensor or per channel along one axis.
 * Symmetric (zero point 0, range ±127) because ONNX Runtime's int8 GEMM kernels expect it for
 * weights and because it keeps bias quantization a plain product of scales.
 *
 * @param values quantized values, same layout as the float tensor
 * @param scales one scale (per tensor) or one per channel along {@code axis}
 * @param axis   the channel axis, or -1 for per-tensor
 */
public record Int8Weights(byte[] values, float[] scales, int axis) {
    public static final int FULL_RANGE = 127;
    public static final int REDUCED_RANGE = 63;

    /** Full-range (±127) quantization. */
    public static Int8Weights quantize(float[] w, long[] dims, int axis) {
        return quantize(w, dims, axis, FULL_RANGE);
    }

    /**
     * @param qmax 127, or {@link #REDUCED_RANGE} (63) on CPUs without VNNI, where ORT's u8s8
     *             kernels add pairs of uint8×int8 products in saturating 16-bit lanes
     */
    public static Int8Weights quantize(float[] w, long[] dims, int axis, int qmax) {
        if (axis < 0) {
            float scale = scaleOf(maxAbs(w, 0, w.length, 1), qmax);
            byte[] q = new byte[w.length];
            for (int i = 0; i < w.length; i++) {
                q[i] = clamp(w[i] / scale, qmax);
            }
            return new Int8Weights(q, new float[]{scale}, -1);
        }
        int channels = (int) dims[axis];
        long inner = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            inner *= dims[d];
        }
        // Element i belongs to channel (i / inner) % channels for any axis.
        float[] maxAbs = new float[channels];
        for (int i = 0; i < w.length; i++) {
            int c = (int) ((i / inner) % channels);
            maxAbs[c] = Math.max(maxAbs[c], Math.abs(w[i]));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = scaleOf(maxAbs[c], qmax);
        }
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            q[i] = clamp(w[i] / scales[(int) ((i / inner) % channels)], qmax);
        }
        return new Int8Weights(q, scales, axis);
    }

    /** The float value each int8 value stands for (for error checks). */
    public float[] dequantize(long[] dims) {
        float[] out = new float[values.length];
        long inner = 1;
        int channels = 1;
        if (axis >= 0) {
            channels = (int) dims[axis];
            for (int d = axis + 1; d < dims.length; d++) {
                inner *= dims[d];
            }
        }
        for (int i = 0; i < values.length; i++) {
            int c = axis < 0 ? 0 : (int) ((i / inner) % channels);
            out[i] = values[i] * scales[c];
        }
        return out;
    }

    private static float maxAbs(float[] w, int from, int to, int step) {
        float m = 0;
        for (int i = from; i < to; i += step) {
            m = Math.max(m, Math.abs(w[i]));
        }
        return m;
    }

    // An all-zero channel still needs a positive scale; any value works because every q is 0.
    private static float scaleOf(float maxAbs, int qmax) {
        return maxAbs == 0 ? 1f : maxAbs / qmax;
    }

    private static byte clamp(float v, int qmax) {
        return (byte) Math.max(-qmax, Math.min(qmax, Math.round(v)));
    }
}
