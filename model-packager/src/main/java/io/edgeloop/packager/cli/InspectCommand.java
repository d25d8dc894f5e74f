package io.edgeloop.packager.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.ManifestJson;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.ReferenceSet;
import io.edgeloop.packageformat.TensorSpec;
import io.edgeloop.packageformat.UnverifiedPackage;
import io.edgeloop.packageformat.Variant;
import io.edgeloop.packageformat.VariantMetrics;
import io.edgeloop.packageformat.VerifiedPackage;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.protocol.EdgeLoopException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code edgeloop inspect FILE}: shows a package's manifest, variants with their metrics, tensors
 * and each variant's operator census; or an ONNX model's summary. With {@code --pubkey} the
 * package is verified first; without, the output says the signature was not checked.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a package's manifest, variants, tensors and operators, or an ONNX model's summary.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "An .elpkg package or an .onnx model.")
    Path file;

    @Option(names = "--pubkey", paramLabel = "KEY", description = "Verify the package with this public key first.")
    Path publicKey;

    @Option(names = "--json", description = "Print the manifest (and operator census) as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (file.getFileName().toString().endsWith(".onnx")) {
            OnnxModel model = OnnxModel.load(file);
            out.println(json ? ManifestJson.pretty(model.summary()) : model.summary().toText());
            return 0;
        }
        Manifest manifest;
        String signature;
        Map<String, Map<String, Integer>> census = new LinkedHashMap<>();
        if (publicKey != null) {
            VerifiedPackage verified = new PackageVerifier(PackageVerifier.Options.DEFAULTS)
                    .verify(file, KeyPairFiles.loadPublic(publicKey));
            manifest = verified.manifest();
            signature = "verified, key " + verified.keyId();
            for (Variant v : onnxVariants(manifest)) {
                census.put(v.id(), OnnxModel.fromBytes(verified.readFile(v.file()), v.file()).operatorCensus());
            }
        } else {
            UnverifiedPackage pkg = UnverifiedPackage.open(file, PackageVerifier.Options.DEFAULTS);
            manifest = pkg.manifest();
            signature = "NOT checked (claims key " + pkg.claimedKeyId().orElse("none") + "; pass --pubkey to verify)";
            for (Variant v : onnxVariants(manifest)) {
                census.put(v.id(), operators(pkg, v));
            }
        }
        if (json) {
            ObjectNode node = ManifestJson.mapper().createObjectNode();
            node.put("signature", signature);
            node.set("manifest", ManifestJson.mapper().valueToTree(manifest));
            node.set("operators", ManifestJson.mapper().valueToTree(census));
            out.println(ManifestJson.pretty(node));
        } else {
            print(out, manifest, signature, census);
        }
        return 0;
    }

    /** Only ONNX files have an operator census; a TorchScript package's variants are listed without one. */
    private static List<Variant> onnxVariants(Manifest manifest) {
        return manifest.framework().equals("onnx") ? manifest.variants() : List.of();
    }

    private static Map<String, Integer> operators(UnverifiedPackage pkg, Variant v) throws EdgeLoopException {
        return OnnxModel.fromBytes(pkg.readFile(v.file()), v.file()).operatorCensus();
    }

    private static void print(PrintWriter out, Manifest m, String signature, Map<String, Map<String, Integer>> census) {
        out.printf("%s %s  (format %d, %s, created %s)%n", m.name(), m.version(), m.formatVersion(), m.framework(), m.createdAt());
        out.printf("signature: %s%n", signature);
        for (TensorSpec t : m.inputs()) {
            out.printf("input   %-16s %s %s%n", t.name(), t.datatype(), t.shape());
        }
        for (TensorSpec t : m.outputs()) {
            out.printf("output  %-16s %s %s%n", t.name(), t.datatype(), t.shape());
        }
        if (m.preprocessing() != null) {
            out.printf("preprocessing: scale %s, layout %s%n", m.preprocessing().scale(), m.preprocessing().layout());
        }
        out.printf("labels: %s%n", m.labels());
        if (m.metrics() != null) {
            out.printf("evaluated on %s (%d samples); recommended variant: %s%n",
                    m.metrics().dataset(), m.metrics().samples(), m.metrics().recommendedVariant());
        }
        for (Variant v : m.variants()) {
            VariantMetrics x = v.metrics();
            out.printf("variant %-5s %-18s %s%n", v.id(), v.file(), suits(v));
            if (x != null) {
                out.printf("        accuracy %s  f1 %s  agreement %s  p50 %s us  %s/s  %d bytes%n", fmt(x.accuracy()),
                        fmt(x.f1Macro()), fmt(x.top1AgreementWithFp32()), whole(x.latencyUsP50()), whole(x.throughputPerS()),
                        x.sizeBytes());
            }
            if (census.containsKey(v.id())) {
                out.printf("        operators %s%n", census.get(v.id()));
            }
        }
        if (m.lineage() != null) {
            out.printf("lineage: run %s, dataset sha256 %s, parent %s, by %s%n", m.lineage().trainingRunId(),
                    m.lineage().datasetSha256(), m.lineage().parentVersion(), m.lineage().createdBy());
        }
        if (m.baseline() != null) {
            out.printf("drift baseline: %d reference samples, input features %s%n", m.baseline().samples(),
                    m.baseline().inputs().stream().map(f -> f.name()).toList());
        }
        m.file(ReferenceSet.ENTRY).ifPresent(f -> out.printf(
                "reference inputs: %s (%d bytes), with the fp32 top-1 answers, for validation on devices%n",
                f.path(), f.size()));
    }

    private static String suits(Variant v) {
        if (!v.constraints().profiles().isEmpty()) {
            return "for " + v.constraints().profiles();
        }
        String arch = v.constraints().arch() == null ? "any arch" : v.constraints().arch();
        return "for " + arch + (v.constraints().cpuFeatures().isEmpty() ? "" : " with " + v.constraints().cpuFeatures());
    }

    private static String fmt(Double value) {
        return value == null ? "-" : String.format("%.4f", value);
    }

    private static String whole(Double value) {
        return value == null ? "-" : String.format("%.0f", value);
    }
}
