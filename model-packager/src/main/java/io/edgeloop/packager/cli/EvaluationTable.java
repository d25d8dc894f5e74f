package io.edgeloop.packager.cli;

import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.Variant;
import io.edgeloop.packageformat.VariantMetrics;

/** The per-variant evaluation report as a text table, as {@code pack} and the demo print it. */
public final class EvaluationTable {
    private EvaluationTable() {
    }

    public static String render(Manifest m) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("evaluated on %s (%d samples)%n", m.metrics().dataset(), m.metrics().samples()));
        out.append(String.format("  %-6s %9s %9s %10s %10s %12s %11s%n",
                "variant", "accuracy", "f1-macro", "agreement", "p50 (us)", "samples/s", "bytes"));
        for (Variant v : m.variants()) {
            VariantMetrics x = v.metrics();
            out.append(String.format("  %-6s %9.4f %9.4f %10s %10.0f %12.0f %11d%n", v.id(), x.accuracy(), x.f1Macro(),
                    x.top1AgreementWithFp32() == null ? "-" : String.format("%.4f", x.top1AgreementWithFp32()),
                    x.latencyUsP50(), x.throughputPerS(), x.sizeBytes()));
        }
        out.append(String.format("  recommended on this host: %s (fastest within the accuracy tolerance)%n",
                m.metrics().recommendedVariant()));
        return out.toString();
    }
}
