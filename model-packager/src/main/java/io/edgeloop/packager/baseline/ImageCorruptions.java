package io.edgeloop.packager.baseline;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Generic, seeded corruptions of square single-channel images (values clipped to the data's own
 * range), at several strengths: what the packager calibrates the accuracy estimate's shift
 * correction on. They stand for kinds of shift a camera sees (exposure, contrast, gamma, sensor
 * noise, focus, pose, framing, occlusion, resolution), not for any one benchmark's.
 */
final class ImageCorruptions {
    /** One corruption: a name and how it changes one image ({@code side} x {@code side}). */
    record Corruption(String name, Op op) {
    }

    interface Op {
        void apply(float[] image, int side, float lo, float hi, SplittableRandom random);
    }

    private ImageCorruptions() {
    }

    static List<Corruption> all() {
        return List.of(
                new Corruption("brightness+0.1", (x, s, lo, hi, r) -> affineValues(x, 1, 0.1 * (hi - lo), lo, hi)),
                new Corruption("brightness-0.1", (x, s, lo, hi, r) -> affineValues(x, 1, -0.1 * (hi - lo), lo, hi)),
                new Corruption("brightness+0.35", (x, s, lo, hi, r) -> affineValues(x, 1, 0.35 * (hi - lo), lo, hi)),
                new Corruption("contrast*0.7", (x, s, lo, hi, r) -> contrast(x, 0.7, lo, hi)),
                new Corruption("contrast*0.35", (x, s, lo, hi, r) -> contrast(x, 0.35, lo, hi)),
                new Corruption("gamma0.6", (x, s, lo, hi, r) -> gamma(x, 0.6, lo, hi)),
                new Corruption("gamma1.7", (x, s, lo, hi, r) -> gamma(x, 1.7, lo, hi)),
                new Corruption("noise0.05", (x, s, lo, hi, r) -> noise(x, 0.05 * (hi - lo), lo, hi, r)),
                new Corruption("noise0.15", (x, s, lo, hi, r) -> noise(x, 0.15 * (hi - lo), lo, hi, r)),
                new Corruption("noise0.3", (x, s, lo, hi, r) -> noise(x, 0.3 * (hi - lo), lo, hi, r)),
                new Corruption("blur0.6", (x, s, lo, hi, r) -> blur(x, s, 0.6)),
                new Corruption("blur1.6", (x, s, lo, hi, r) -> blur(x, s, 1.6)),
                new Corruption("rotate8", (x, s, lo, hi, r) -> warp(x, s, lo, sign(r) * 8, 1, 0, 0)),
                new Corruption("rotate22", (x, s, lo, hi, r) -> warp(x, s, lo, sign(r) * 22, 1, 0, 0)),
                new Corruption("rotate40", (x, s, lo, hi, r) -> warp(x, s, lo, sign(r) * 40, 1, 0, 0)),
                new Corruption("zoom0.8", (x, s, lo, hi, r) -> warp(x, s, lo, 0, 0.8, 0, 0)),
                new Corruption("zoom1.25", (x, s, lo, hi, r) -> warp(x, s, lo, 0, 1.25, 0, 0)),
                new Corruption("shift2", (x, s, lo, hi, r) -> shift(x, s, lo, 2, r)),
                new Corruption("shift4", (x, s, lo, hi, r) -> shift(x, s, lo, 4, r)),
                new Corruption("pixelate2", (x, s, lo, hi, r) -> pixelate(x, s, 2)),
                new Corruption("occlude10", (x, s, lo, hi, r) -> occlude(x, s, lo, 10, r)));
    }

    private static double sign(SplittableRandom r) {
        return r.nextBoolean() ? 1 : -1;
    }

    private static float clip(double v, float lo, float hi) {
        return (float) Math.max(lo, Math.min(hi, v));
    }

    private static void affineValues(float[] x, double scale, double offset, float lo, float hi) {
        for (int i = 0; i < x.length; i++) {
            x[i] = clip(x[i] * scale + offset, lo, hi);
        }
    }

    private static void contrast(float[] x, double factor, float lo, float hi) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        for (int i = 0; i < x.length; i++) {
            x[i] = clip(mean + (x[i] - mean) * factor, lo, hi);
        }
    }

    private static void gamma(float[] x, double g, float lo, float hi) {
        double range = Math.max(1e-12, hi - lo);
        for (int i = 0; i < x.length; i++) {
            x[i] = clip(lo + range * Math.pow(Math.max(0, (x[i] - lo) / range), g), lo, hi);
        }
    }

    private static void noise(float[] x, double sigma, float lo, float hi, SplittableRandom r) {
        for (int i = 0; i < x.length; i++) {
            x[i] = clip(x[i] + sigma * gaussian(r), lo, hi);
        }
    }

    private static double gaussian(SplittableRandom r) {
        double u = Math.max(1e-300, r.nextDouble());
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static void blur(float[] x, int side, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * radius + 1];
        double total = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = Math.exp(-k * k / (2 * sigma * sigma));
            total += kernel[k + radius];
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= total;
        }
        float[] tmp = new float[x.length];
        for (int y = 0; y < side; y++) {
            for (int c = 0; c < side; c++) {
                double v = 0;
                for (int k = -radius; k <= radius; k++) {
                    int cc = Math.max(0, Math.min(side - 1, c + k));
                    v += kernel[k + radius] * x[y * side + cc];
                }
                tmp[y * side + c] = (float) v;
            }
        }
        for (int y = 0; y < side; y++) {
            for (int c = 0; c < side; c++) {
                double v = 0;
                for (int k = -radius; k <= radius; k++) {
                    int yy = Math.max(0, Math.min(side - 1, y + k));
                    v += kernel[k + radius] * tmp[yy * side + c];
                }
                x[y * side + c] = (float) v;
            }
        }
    }

    /** Rotation by {@code degrees} and zoom by {@code scale} about the centre, then a shift; bilinear, background {@code lo}. */
    private static void warp(float[] x, int side, float lo, double degrees, double scale, double dx, double dy) {
        float[] src = x.clone();
        double a = Math.toRadians(degrees);
        double cos = Math.cos(a) / scale;
        double sin = Math.sin(a) / scale;
        double centre = (side - 1) / 2.0;
        for (int y = 0; y < side; y++) {
            for (int c = 0; c < side; c++) {
                double u = c - centre - dx;
                double v = y - centre - dy;
                double sx = cos * u + sin * v + centre;
                double sy = -sin * u + cos * v + centre;
                x[y * side + c] = bilinear(src, side, sx, sy, lo);
            }
        }
    }

    private static float bilinear(float[] src, int side, double sx, double sy, float lo) {
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double fx = sx - x0;
        double fy = sy - y0;
        double v = 0;
        for (int j = 0; j <= 1; j++) {
            for (int i = 0; i <= 1; i++) {
                int xi = x0 + i;
                int yj = y0 + j;
                double w = (i == 0 ? 1 - fx : fx) * (j == 0 ? 1 - fy : fy);
                float p = xi < 0 || yj < 0 || xi >= side || yj >= side ? lo : src[yj * side + xi];
                v += w * p;
            }
        }
        return (float) v;
    }

    private static void shift(float[] x, int side, float lo, int pixels, SplittableRandom r) {
        double angle = 2 * Math.PI * r.nextDouble();
        warp(x, side, lo, 0, 1, Math.round(pixels * Math.cos(angle)), Math.round(pixels * Math.sin(angle)));
    }

    private static void pixelate(float[] x, int side, int block) {
        for (int y = 0; y < side; y += block) {
            for (int c = 0; c < side; c += block) {
                double sum = 0;
                int n = 0;
                for (int j = y; j < Math.min(side, y + block); j++) {
                    for (int i = c; i < Math.min(side, c + block); i++) {
                        sum += x[j * side + i];
                        n++;
                    }
                }
                for (int j = y; j < Math.min(side, y + block); j++) {
                    for (int i = c; i < Math.min(side, c + block); i++) {
                        x[j * side + i] = (float) (sum / n);
                    }
                }
            }
        }
    }

    private static void occlude(float[] x, int side, float lo, int size, SplittableRandom r) {
        int y0 = r.nextInt(Math.max(1, side - size + 1));
        int x0 = r.nextInt(Math.max(1, side - size + 1));
        for (int j = y0; j < Math.min(side, y0 + size); j++) {
            for (int i = x0; i < Math.min(side, x0 + size); i++) {
                x[j * side + i] = lo;
            }
        }
    }
}
