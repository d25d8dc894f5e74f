package io.edgeloop.server.publish;

import io.edgeloop.packageformat.Lineage;
import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.PackageWriter;
import io.edgeloop.packageformat.Preprocessing;
import io.edgeloop.packageformat.VariantConstraints;
import io.edgeloop.packageformat.sign.ManifestSigner;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.pkg.CalibrationSplit;
import io.edgeloop.packager.pkg.Int8Quantizer;
import io.edgeloop.packager.pkg.PackageBuilder;
import io.edgeloop.protocol.EdgeLoopException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns an exported fp32 ONNX model into a signed {@code .elpkg}: the int8 variant where the
 * quantization planner measures that it pays on this host, else the dense-layer int8 variant for
 * int8 device classes (which re-measure it at install), both evaluated on the reference data,
 * with reference inputs, the drift baseline and the lineage. The demo's package stage and the
 * server's {@code POST /api/v1/models/{name}/versions/{v}/package} both publish through it.
 */
public final class ModelPublisher {
    /** Rows of the calibration source the int8 ranges are calibrated on. */
    public static final int CALIBRATION_SAMPLES = 500;
    /** Rows after those the quantizer judges its plans on. */
    public static final int VALIDATION_SAMPLES = 2000;
    /** Rows of the reference data the variants are evaluated and the drift baseline is built on. */
    public static final int REFERENCE_SAMPLES = 2000;

    /**
     * What to publish.
     *
     * @param calibrationSource labelled data the int8 variant is calibrated and judged on (its first rows)
     * @param reference         labelled data the variants are measured and the baseline is built on (its first rows)
     */
    public record Request(String name, String version, OnnxModel fp32, Dataset calibrationSource, Dataset reference,
                          Lineage lineage) {
        public Request {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(fp32, "fp32");
            Objects.requireNonNull(lineage, "lineage");
        }
    }

    /** The written package's manifest, and whether int8 was measured faster on this host. */
    public record Publication(Path file, Manifest manifest, boolean int8MeasuredFasterHere) {
    }

    private final Int8Quantizer planned;
    private final Int8Quantizer fallback;
    private final PrintStream progress;

    /**
     * @param planned  makes the int8 variant where it pays on this host (the quantization planner)
     * @param fallback makes it when the planner keeps fp32 here (int8 device classes may still gain)
     */
    public ModelPublisher(Int8Quantizer planned, Int8Quantizer fallback, PrintStream progress) {
        this.planned = planned;
        this.fallback = fallback;
        this.progress = progress;
    }

    /** Quantizes, measures, builds and signs the package into {@code out}. */
    public Publication publish(Request request, ManifestSigner signer, Path out) throws EdgeLoopException {
        OnnxModel fp32 = request.fp32();
        List<PackageBuilder.VariantSource> variants = new ArrayList<>();
        variants.add(new PackageBuilder.VariantSource("fp32", "fp32", fp32, VariantConstraints.ANY));
        CalibrationSplit split = CalibrationSplit.of(request.calibrationSource(), CALIBRATION_SAMPLES, VALIDATION_SAMPLES);
        progress.printf("      quantizing to int8: calibrating on %s, judging plans on %s%n",
                split.calibration().name(), split.validation().name());
        Optional<OnnxModel> int8 = planned.quantize(fp32, split.calibration(), split.validation());
        boolean measuredFasterHere = int8.isPresent();
        if (int8.isEmpty()) {
            // The planner judged this host only; int8 device classes may still gain, and the agent
            // re-measures the variants it can run when it installs the package.
            progress.println("      int8: the planner kept fp32 on this host; adding the dense-layer int8 variant"
                    + " for int8 device classes, which re-measure it at install");
            int8 = fallback.quantize(fp32, split.calibration(), split.validation());
        }
        if (int8.isPresent()) {
            variants.add(new PackageBuilder.VariantSource("int8", "int8", int8.get(),
                    VariantConstraints.int8(measuredFasterHere)));
        }
        Dataset reference = request.reference().head(REFERENCE_SAMPLES);
        PackageBuilder builder = new PackageBuilder(PackageBuilder.Options.DEFAULTS, new PackageWriter(), progress);
        Manifest manifest = builder.build(new PackageBuilder.Request(request.name(), request.version(), variants, reference,
                Preprocessing.unitScaleFor(fp32.inputs().get(0).shape().size()), request.lineage()), signer, out);
        return new Publication(out, manifest, measuredFasterHere);
    }
}
