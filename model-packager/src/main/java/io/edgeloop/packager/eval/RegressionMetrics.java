package io.edgeloop.packager.eval;

/** Mean squared error, mean absolute error and R² of numeric predictions. */
public record RegressionMetrics(long samples, double mse, double mae, double r2) {

    public static RegressionMetrics of(float[] truth, float[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " targets but " + predicted.length + " predictions");
        }
        int n = truth.length;
        double mean = 0;
        for (float t : truth) {
            mean += t;
        }
        mean = n == 0 ? 0 : mean / n;
        double se = 0;
        double ae = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double err = predicted[i] - truth[i];
            se += err * err;
            ae += Math.abs(err);
            total += (truth[i] - mean) * (truth[i] - mean);
        }
        double mse = n == 0 ? 0 : se / n;
        double mae = n == 0 ? 0 : ae / n;
        // R² is undefined for a constant target; report 0 rather than a division by zero.
        double r2 = total == 0 ? 0 : 1 - se / total;
        return new RegressionMetrics(n, mse, mae, r2);
    }
}
