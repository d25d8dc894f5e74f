package io.edgeloop.packager.pkg;

import io.edgeloop.fixtures.TestImages;
import io.edgeloop.fixtures.TestModels;
import io.edgeloop.packageformat.Lineage;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.PackageWriter;
import io.edgeloop.packageformat.Preprocessing;
import io.edgeloop.packageformat.ReferenceSet;
import io.edgeloop.packageformat.VariantConstraints;
import io.edgeloop.packageformat.VerifiedPackage;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packageformat.sign.ManifestSigner;
import io.edgeloop.packager.data.Dataset;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference inputs {@link PackageBuilder} puts in a package: taken from the reference data,
 * answered by the fp32 model, and what a device's validation would see of the int8 variant.
 */
class ReferenceInputsTest {
    @TempDir
    Path dir;

    @Test
    void mlpPackageCarriesFp32AnswersThatItsInt8VariantMostlyMatches() throws Exception {
        double agreement = packAndCompare(TestModels.mlp(1), "mlp", new long[]{784});
        assertTrue(agreement >= 0.9, "int8 agrees with fp32 on " + agreement + " of the reference inputs");
    }

    @Test
    void cnnPackageCarriesFp32AnswersThatItsInt8VariantMostlyMatches() throws Exception {
        double agreement = packAndCompare(TestModels.cnn(1), "cnn", new long[]{1, 28, 28});
        assertTrue(agreement >= 0.9, "int8 agrees with fp32 on " + agreement + " of the reference inputs");
    }

    @Test
    void zeroReferenceInputsLeavesTheFileOut() throws Exception {
        KeyPair keys = KeyPairFiles.generate();
        Path out = dir.resolve("none.elpkg");
        OnnxModel model = TestModels.randomMlp(3);
        builder().build(new PackageBuilder.Request("none", "1.0.0",
                List.of(new PackageBuilder.VariantSource("fp32", "fp32", model, VariantConstraints.ANY)),
                TestImages.synthetic(100), Preprocessing.IMAGE_UNIT_SCALE, new Lineage(null, null, null, "test"), 0),
                new ManifestSigner(keys), out);
        VerifiedPackage verified = new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(out, keys.getPublic());
        assertFalse(verified.manifest().file(ReferenceSet.ENTRY).isPresent());
        assertTrue(verified.referenceSet().isEmpty());
    }

    @Test
    void smallReferenceDataGivesAsManyInputsAsItHas() throws Exception {
        KeyPair keys = KeyPairFiles.generate();
        Path out = dir.resolve("small.elpkg");
        builder().build(new PackageBuilder.Request("small", "1.0.0",
                List.of(new PackageBuilder.VariantSource("fp32", "fp32", TestModels.randomMlp(3), VariantConstraints.ANY)),
                TestImages.synthetic(20), Preprocessing.IMAGE_UNIT_SCALE, new Lineage(null, null, null, "test")),
                new ManifestSigner(keys), out);
        VerifiedPackage verified = new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(out, keys.getPublic());
        assertEquals(20, verified.referenceSet().orElseThrow().count());
    }

    /** Packs fp32 + dense int8, checks the reference set against the fp32 model, returns int8's agreement. */
    private double packAndCompare(OnnxModel fp32, String name, long[] sampleShape) throws Exception {
        Dataset reference = TestImages.test().head(500);
        OnnxModel int8 = new DenseInt8Quantizer(CalibrationOptions.DEFAULT, new PrintStream(new ByteArrayOutputStream()))
                .quantize(fp32, TestImages.train().head(256), reference).orElseThrow();
        KeyPair keys = KeyPairFiles.generate();
        Path out = dir.resolve(name + ".elpkg");
        builder().build(new PackageBuilder.Request(name, "1.0.0", List.of(
                        new PackageBuilder.VariantSource("fp32", "fp32", fp32, VariantConstraints.ANY),
                        new PackageBuilder.VariantSource("int8", "int8", int8, VariantConstraints.ANY)),
                reference, Preprocessing.IMAGE_UNIT_SCALE, new Lineage(null, null, null, "test")),
                new ManifestSigner(keys), out);

        VerifiedPackage verified = new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(out, keys.getPublic());
        ReferenceSet set = verified.referenceSet().orElseThrow();
        assertEquals(PackageBuilder.Request.DEFAULT_REFERENCE_INPUTS, set.count());
        assertArrayEquals(sampleShape, set.sampleShape());
        assertEquals(10, set.classes());
        // Evenly spaced rows of the reference data: sample i is row i * 500 / 64.
        float[] row = new float[784];
        reference.copyRow(7 * 500 / 64, row, 0);
        assertArrayEquals(row, set.input(7));

        int[] fp32Top1 = top1(verified.extractVariant("fp32", dir.resolve(name + "-x")), set);
        assertEquals(1.0, set.agreement(fp32Top1), "the expected answers are the packaged fp32 model's");
        double agreement = set.agreement(top1(verified.extractVariant("int8", dir.resolve(name + "-x")), set));
        System.out.printf("reference inputs: %s int8 agrees with fp32 top-1 on %.4f of %d%n", name, agreement,
                set.count());
        return agreement;
    }

    private static int[] top1(Path model, ReferenceSet set) throws Exception {
        float[][] scores;
        try (OrtRunner runner = new OrtRunner(Files.readAllBytes(model), RunnerOptions.DEFAULT)) {
            scores = runner.run(set.inputs(0, set.count()), set.batchShape(set.count()));
        }
        int[] top1 = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            int best = 0;
            for (int c = 1; c < scores[i].length; c++) {
                if (scores[i][c] > scores[i][best]) {
                    best = c;
                }
            }
            top1[i] = best;
        }
        return top1;
    }

    private static PackageBuilder builder() {
        return new PackageBuilder(new PackageBuilder.Options(0.01, 64, 5, 1), new PackageWriter(),
                new PrintStream(new ByteArrayOutputStream()));
    }
}
