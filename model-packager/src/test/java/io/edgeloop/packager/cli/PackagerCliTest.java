package io.edgeloop.packager.cli;

import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.ReferenceSet;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** keygen → pack → inspect → verify through the real command line, and a tampered package refused. */
class PackagerCliTest {

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = PackagerMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void keygenPackInspectVerifyAndRefuseATamperedCopy(@TempDir Path dir) throws Exception {
        Run keygen = run("keygen", "--name", "release", "--dir", dir.toString());
        assertEquals(0, keygen.exit(), keygen.err());
        Path model = TestPackages.writeTinyModel(dir, 5);
        Path pkg = dir.resolve("tiny-1.0.0.elpkg");

        Run pack = run("pack", model.toString(), "--name", "tiny", "--version", "1.0.0",
                "--key", dir.resolve("release.key").toString(), "--out", pkg.toString(),
                "--reference-samples", "200", "--json");
        assertEquals(0, pack.exit(), pack.err());
        assertTrue(pack.out().contains("\"recommendedVariant\":\"fp32\""), pack.out());
        assertTrue(Files.isRegularFile(pkg));

        Run verify = run("verify", pkg.toString(), "--pubkey", dir.resolve("release.pub").toString());
        assertEquals(0, verify.exit(), verify.err());
        assertTrue(verify.out().startsWith("OK tiny 1.0.0"), verify.out());

        Run inspect = run("inspect", pkg.toString(), "--pubkey", dir.resolve("release.pub").toString());
        assertEquals(0, inspect.exit(), inspect.err());
        assertTrue(inspect.out().contains("Gemm=1") && inspect.out().contains("Softmax=1"), inspect.out());
        assertTrue(inspect.out().contains("layout NC\n"), inspect.out());
        assertTrue(inspect.out().contains("signature: verified"), inspect.out());
        assertTrue(inspect.out().contains("reference inputs: reference.bin ("), inspect.out());

        Path bad = TestPackages.withEntryChanged(pkg, dir.resolve("bad.elpkg"), "model.onnx",
                b -> TestPackages.flipByte(b, b.length - 100));
        Run refused = run("verify", bad.toString(), "--pubkey", dir.resolve("release.pub").toString());
        assertEquals(PackagerMain.EXIT_REFUSED, refused.exit());
        assertTrue(refused.err().startsWith("PACKAGE_HASH_MISMATCH: entry 'model.onnx'"), refused.err());

        Run json = run("verify", bad.toString(), "--pubkey", dir.resolve("release.pub").toString(), "--json");
        assertEquals(PackagerMain.EXIT_REFUSED, json.exit());
        assertTrue(json.out().contains("\"code\":\"PACKAGE_HASH_MISMATCH\""), json.out());
    }

    @Test
    void packWithTheDenseInt8RecipeShipsBothVariants(@TempDir Path dir) throws Exception {
        assertEquals(0, run("keygen", "--name", "k", "--dir", dir.toString()).exit());
        Path model = TestPackages.writeTinyModel(dir, 5);
        Path pkg = dir.resolve("q.elpkg");
        Run pack = run("pack", model.toString(), "--name", "tiny", "--version", "1.1.0", "--key", dir.resolve("k.key").toString(),
                "--out", pkg.toString(), "--quantize", "int8", "--int8-recipe", "dense", "--calibration-samples", "100",
                "--validation-samples", "100", "--reference-samples", "200", "--reference-inputs", "16", "--json");
        assertEquals(0, pack.exit(), pack.err());
        assertTrue(pack.out().contains("\"id\":\"int8\""), pack.out());
        Run verify = run("verify", pkg.toString(), "--pubkey", dir.resolve("k.pub").toString(), "--json");
        assertEquals(0, verify.exit(), verify.err());
        assertTrue(verify.out().contains("\"variants\":[\"fp32\",\"int8\"]"), verify.out());
        ReferenceSet reference = new PackageVerifier(PackageVerifier.Options.DEFAULTS)
                .verify(pkg, KeyPairFiles.loadPublic(dir.resolve("k.pub"))).referenceSet().orElseThrow();
        assertEquals(16, reference.count());
    }

    @Test
    void badArgumentsAreNamed(@TempDir Path dir) throws Exception {
        Run keygen = run("keygen", "--name", "k", "--dir", dir.toString());
        assertEquals(0, keygen.exit());
        Path model = TestPackages.writeTinyModel(dir, 5);
        Run badVersion = run("pack", model.toString(), "--name", "tiny", "--version", "1.0",
                "--key", dir.resolve("k.key").toString());
        assertEquals(PackagerMain.EXIT_REFUSED, badVersion.exit());
        assertTrue(badVersion.err().contains("INVALID_ARGUMENT") && badVersion.err().contains("'1.0'"), badVersion.err());
        Run badCount = run("pack", model.toString(), "--name", "tiny", "--version", "1.0.0",
                "--key", dir.resolve("k.key").toString(), "--reference-inputs", "-1");
        assertEquals(PackagerMain.EXIT_REFUSED, badCount.exit());
        assertTrue(badCount.err().contains("INVALID_ARGUMENT") && badCount.err().contains("--reference-inputs"),
                badCount.err());
        Run missingKey = run("verify", model.toString(), "--pubkey", dir.resolve("nope.pub").toString());
        assertEquals(PackagerMain.EXIT_REFUSED, missingKey.exit());
        assertTrue(missingKey.err().contains("nope.pub"), missingKey.err());
    }

    @Test
    void packInspectAndVerifyATorchScriptFile(@TempDir Path dir) throws Exception {
        assertEquals(0, run("keygen", "--name", "k", "--dir", dir.toString()).exit());
        Path model = TestPackages.writeTorchScriptLike(dir);
        Path pkg = dir.resolve("ts.elpkg");
        Run pack = run("pack", model.toString(), "--name", "ts", "--version", "1.0.0", "--key", dir.resolve("k.key").toString(),
                "--out", pkg.toString(), "--input", "features:FP32:-1,6", "--output", "probs:FP32:-1,3", "--labels", "a,b,c",
                "--json");
        assertEquals(0, pack.exit(), pack.err());
        assertTrue(pack.out().contains("\"framework\":\"torchscript\""), pack.out());
        Run inspect = run("inspect", pkg.toString(), "--pubkey", dir.resolve("k.pub").toString());
        assertEquals(0, inspect.exit(), inspect.err());
        assertTrue(inspect.out().contains("torchscript") && inspect.out().contains("input   features         FP32 [-1, 6]"),
                inspect.out());
        assertEquals(0, run("verify", pkg.toString(), "--pubkey", dir.resolve("k.pub").toString()).exit());

        Run noTensors = run("pack", model.toString(), "--name", "ts", "--version", "1.0.1", "--key",
                dir.resolve("k.key").toString(), "--out", dir.resolve("x.elpkg").toString());
        assertEquals(PackagerMain.EXIT_REFUSED, noTensors.exit());
        assertTrue(noTensors.err().startsWith("INVALID_ARGUMENT: a TorchScript package needs at least one declared input"),
                noTensors.err());
        Run quantized = run("pack", model.toString(), "--name", "ts", "--version", "1.0.1", "--key",
                dir.resolve("k.key").toString(), "--input", "x:FP32:-1", "--output", "y:FP32:-1", "--quantize", "int8");
        assertEquals(PackagerMain.EXIT_REFUSED, quantized.exit());
        assertTrue(quantized.err().contains("--quantize works on ONNX models"), quantized.err());
    }
}
