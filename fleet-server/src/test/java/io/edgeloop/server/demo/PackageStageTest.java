package io.edgeloop.server.demo;

import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.packager.pkg.DenseInt8Quantizer;
import io.edgeloop.packager.pkg.Int8Quantizer;
import io.edgeloop.packager.quantize.CalibrationOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackageStageTest {

    @Test
    void packsFp32AndInt8VerifiesAndHandsOnThePackageAndKey(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        DemoContext context = new DemoContext(dir, new PrintStream(printed, true, StandardCharsets.UTF_8));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        // A planner that never finds int8 worth it here: the stage still ships the dense int8 variant.
        Int8Quantizer keepsFp32 = (fp32, calibration, validation) -> Optional.empty();
        new PackageStage(null, keepsFp32, new DenseInt8Quantizer(CalibrationOptions.DEFAULT, quiet),
                DatasetLoader.fromEnvironment()).run(context);

        Path pkg = context.get(PackageStage.PACKAGE);
        Manifest m = new PackageVerifier(PackageVerifier.Options.DEFAULTS)
                .verify(pkg, KeyPairFiles.loadPublic(context.get(PackageStage.PUBLIC_KEY))).manifest();
        assertEquals(List.of("fp32", "int8"), m.variants().stream().map(v -> v.id()).toList());
        assertTrue(m.variant("fp32").orElseThrow().metrics().accuracy() > 0.6, "class-means accuracy");
        assertTrue(m.variant("int8").orElseThrow().metrics().top1AgreementWithFp32() > 0.9);
        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("verified fashion-classifier-1.0.0.elpkg"), out);
        assertTrue(out.contains("the planner kept fp32 on this host"), out);

        // A second run (demo re-run in the same folder) reuses the key instead of failing on it.
        new PackageStage(null, keepsFp32, new DenseInt8Quantizer(CalibrationOptions.DEFAULT, quiet),
                DatasetLoader.fromEnvironment()).run(new DemoContext(dir, quiet));
    }
}
