package io.edgeloop.bench;

import java.util.SplittableRandom;

/**
 * Seeded covariate shifts of 28x28 images with values in [0, 1], for the drift benchmark: each
 * returns a new image and leaves its input alone.
 */
final class ImageShifts {
    static final int SIDE = 28;

    private ImageShifts() {
    }

    static float[] brightness(float[] x, double delta) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = clip(x[i] + delta);
        }
        return out;
    }

    /** Scales the distance of each pixel from the image's mean by {@code factor}. */
    static float[] contrast(float[] x, double factor) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = clip(mean + factor * (x[i] - mean));
        }
        return out;
    }

    static float[] noise(float[] x, double sigma, SplittableRandom random) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = clip(x[i] + sigma * gaussian(random));
        }
        return out;
    }

    /** Rotation by {@code degrees} about the centre, bilinear, zero outside. */
    static float[] rotate(float[] x, double degrees) {
        double a = Math.toRadians(degrees);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        double c = (SIDE - 1) / 2.0;
        float[] out = new float[x.length];
        for (int y = 0; y < SIDE; y++) {
            for (int xx = 0; xx < SIDE; xx++) {
                // The source pixel that lands here.
                double sx = cos * (xx - c) + sin * (y - c) + c;
                double sy = -sin * (xx - c) + cos * (y - c) + c;
                out[y * SIDE + xx] = bilinear(x, sx, sy);
            }
        }
        return out;
    }

    /** Shift right by {@code dx} and down by {@code dy} pixels, zero fill. */
    static float[] translate(float[] x, int dx, int dy) {
        float[] out = new float[x.length];
        for (int y = 0; y < SIDE; y++) {
            for (int xx = 0; xx < SIDE; xx++) {
                int sx = xx - dx;
                int sy = y - dy;
                if (sx >= 0 && sy >= 0 && sx < SIDE && sy < SIDE) {
                    out[y * SIDE + xx] = x[sy * SIDE + sx];
                }
            }
        }
        return out;
    }

    /** Separable Gaussian blur of standard deviation {@code sigma} pixels (radius 2 sigma, zero padding). */
    static float[] blur(float[] x, double sigma) {
        int r = (int) Math.ceil(2 * sigma);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        float[] tmp = new float[x.length];
        float[] out = new float[x.length];
        for (int y = 0; y < SIDE; y++) {
            for (int xx = 0; xx < SIDE; xx++) {
                double s = 0;
                for (int i = -r; i <= r; i++) {
                    int sx = xx + i;
                    if (sx >= 0 && sx < SIDE) {
                        s += k[i + r] * x[y * SIDE + sx];
                    }
                }
                tmp[y * SIDE + xx] = (float) s;
            }
        }
        for (int y = 0; y < SIDE; y++) {
            for (int xx = 0; xx < SIDE; xx++) {
                double s = 0;
                for (int i = -r; i <= r; i++) {
                    int sy = y + i;
                    if (sy >= 0 && sy < SIDE) {
                        s += k[i + r] * tmp[sy * SIDE + xx];
                    }
                }
                out[y * SIDE + xx] = (float) s;
            }
        }
        return out;
    }

    private static float bilinear(float[] x, double sx, double sy) {
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double fx = sx - x0;
        double fy = sy - y0;
        return (float) ((1 - fx) * (1 - fy) * at(x, x0, y0) + fx * (1 - fy) * at(x, x0 + 1, y0)
                + (1 - fx) * fy * at(x, x0, y0 + 1) + fx * fy * at(x, x0 + 1, y0 + 1));
    }

    private static float at(float[] x, int xx, int y) {
        return xx < 0 || y < 0 || xx >= SIDE || y >= SIDE ? 0 : x[y * SIDE + xx];
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian.
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static float clip(double v) {
        return (float) Math.max(0, Math.min(1, v));
    }
}
