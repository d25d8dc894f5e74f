package io.edgeloop.server.demo;

import io.edgeloop.packager.data.Dataset;

import java.util.SplittableRandom;

/**
 * What a new camera does to a device's images in the demo: darker (pixels scaled by
 * {@link #BRIGHTNESS}) and mounted at an angle (each image rotated about its centre by
 * {@link #ANGLE_DEGREES} ± {@link #JITTER_DEGREES}, bilinear, black outside the frame). The jitter
 * is drawn from {@link #SEED} and the image's index, so image {@code i} is shifted the same way in
 * every run and on every device.
 */
public final class CameraShift {
    public static final double BRIGHTNESS = 0.6;
    public static final double ANGLE_DEGREES = 20;
    public static final double JITTER_DEGREES = 5;
    public static final long SEED = 20261201L;

    private final int side;

    /** For square images of {@code side} x {@code side} pixels (28 for Fashion-MNIST). */
    public CameraShift(int side) {
        this.side = side;
    }

    /** Image {@code index} of {@code pixels} (row-major, in [0, 1]) as the new camera sees it. */
    public float[] apply(float[] pixels, int offset, int index) {
        double angle = Math.toRadians(ANGLE_DEGREES + (new SplittableRandom(SEED ^ (index * 0x9E3779B97F4A7C15L))
                .nextDouble() * 2 - 1) * JITTER_DEGREES);
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double c = (side - 1) / 2.0;
        float[] out = new float[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                // Where this output pixel comes from in the original: the inverse rotation.
                double sx = cos * (x - c) + sin * (y - c) + c;
                double sy = -sin * (x - c) + cos * (y - c) + c;
                out[y * side + x] = (float) (BRIGHTNESS * bilinear(pixels, offset, sx, sy));
            }
        }
        return out;
    }

    /** Every image of {@code data} shifted, index {@code first + row} seeding each. */
    public Dataset apply(Dataset data, int first) {
        int width = data.width();
        float[] shifted = new float[data.features().length];
        for (int row = 0; row < data.size(); row++) {
            System.arraycopy(apply(data.features(), row * width, first + row), 0, shifted, row * width, width);
        }
        return new Dataset(data.name() + " (new camera)", shifted, data.featureShape(), data.targets(),
                data.classNames(), data.featureNames());
    }

    private double bilinear(float[] p, int offset, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        return (1 - fx) * (1 - fy) * at(p, offset, x0, y0) + fx * (1 - fy) * at(p, offset, x0 + 1, y0)
                + (1 - fx) * fy * at(p, offset, x0, y0 + 1) + fx * fy * at(p, offset, x0 + 1, y0 + 1);
    }

    private double at(float[] p, int offset, int x, int y) {
        return x < 0 || y < 0 || x >= side || y >= side ? 0 : p[offset + y * side + x];
    }
}
