package io.edgeloop.packager.pkg;

import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.packageformat.FileEntry;
import io.edgeloop.packageformat.KnownProfiles;
import io.edgeloop.packageformat.Lineage;
import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.ManifestJson;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.PackageWriter;
import io.edgeloop.packageformat.Preprocessing;
import io.edgeloop.packageformat.ReferenceSet;
import io.edgeloop.packageformat.TensorSpec;
import io.edgeloop.packageformat.VariantConstraints;
import io.edgeloop.packageformat.VariantMetrics;
import io.edgeloop.packageformat.VariantSelector;
import io.edgeloop.packageformat.VerifiedPackage;
import io.edgeloop.packageformat.baseline.AccuracyCalibration;
import io.edgeloop.packageformat.baseline.OutputBaseline;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packageformat.sign.ManifestSigner;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetDigest;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.RunnerOptions;
import io.edgeloop.packager.quantize.CalibrationOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackageBuilderTest {

    @Test
    void packsFp32AndDenseInt8VariantsThatBothVerifyAndRun(@TempDir Path dir) throws Exception {
        OnnxModel mlp = TestModels.mlp(1);
        Dataset reference = TestImages.test().head(500);
        Dataset calibration = TestImages.train().head(256);
        KeyPair keys = KeyPairFiles.generate();
        OnnxModel int8 = new DenseInt8Quantizer(CalibrationOptions.DEFAULT, new PrintStream(new ByteArrayOutputStream()))
                .quantize(mlp, calibration, reference).orElseThrow();
        PackageBuilder builder = new PackageBuilder(new PackageBuilder.Options(0.01, 64, 20, 1), new PackageWriter(),
                new PrintStream(new ByteArrayOutputStream()));
        Path out = dir.resolve("mlp.elpkg");
        builder.build(new PackageBuilder.Request("fashion-mlp", "2.0.0", List.of(
                        new PackageBuilder.VariantSource("fp32", "fp32", mlp, VariantConstraints.ANY),
                        new PackageBuilder.VariantSource("int8", "int8", int8,
                                new VariantConstraints(List.of("x86-avx512-vnni-server", "rpi5"), null, List.of()))),
                reference, Preprocessing.IMAGE_UNIT_SCALE, new Lineage(null, null, "1.0.0", "test")), new ManifestSigner(keys), out);

        VerifiedPackage verified = new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(out, keys.getPublic());
        Manifest m = verified.manifest();
        assertEquals(List.of("model.onnx", "model.int8.onnx", ReferenceSet.ENTRY),
                m.files().stream().map(FileEntry::path).toList());
        VariantMetrics q = m.variant("int8").orElseThrow().metrics();
        VariantMetrics f = m.variant("fp32").orElseThrow().metrics();
        assertTrue(q.top1AgreementWithFp32() > 0.95, "int8 agreement " + q.top1AgreementWithFp32());
        assertTrue(Math.abs(q.accuracy() - f.accuracy()) < 0.03, f.accuracy() + " vs " + q.accuracy());
        assertTrue(q.sizeBytes() < f.sizeBytes() / 2, q.sizeBytes() + " vs " + f.sizeBytes());
        assertEquals("int8", new VariantSelector(KnownProfiles.ALL).select(m, "rpi5").orElseThrow().id());
        assertEquals("fp32", new VariantSelector(KnownProfiles.ALL).select(m, "rpi4").orElseThrow().id());

        Path model = verified.extractVariant("fp32", dir.resolve("x"));
        float[] served;
        float[] own;
        try (OrtRunner runner = new OrtRunner(Files.readAllBytes(model), RunnerOptions.DEFAULT);
             OrtRunner original = new OrtRunner(mlp, RunnerOptions.DEFAULT)) {
            served = runner.runFlat(reference.head(1).features(), new long[]{1, 784});
            own = original.runFlat(reference.head(1).features(), new long[]{1, 784});
        }
        assertArrayEquals(own, served, "the packaged model computes the model's own outputs");
    }
}
