package io.edgeloop.packager.pkg;

import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.Lineage;
import io.edgeloop.packageformat.Manifest;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.PackageWriter;
import io.edgeloop.packageformat.TensorSpec;
import io.edgeloop.packageformat.Variant;
import io.edgeloop.packageformat.VerifiedPackage;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packageformat.sign.ManifestSigner;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signed torchscript packages: what they declare, that they verify, and the inputs refused. */
class TorchScriptPackagerTest {
    static final List<TensorSpec> IN = List.of(new TensorSpec("features", "FP32", List.of(-1L, 6L)));
    static final List<TensorSpec> OUT = List.of(new TensorSpec("probs", "FP32", List.of(-1L, 3L)));

    static Manifest pack(Path model, List<TensorSpec> in, List<TensorSpec> out, List<String> labels, KeyPair keys, Path target)
            throws EdgeLoopException {
        return new TorchScriptPackager(new PackageWriter()).build(new TorchScriptPackager.Request("tiny", "1.0.0", model,
                in, out, labels, new Lineage(null, null, null, "test")), new ManifestSigner(keys), target);
    }

    @Test
    void packsAVerifiableTorchScriptPackageWithTheDeclaredTensors(@TempDir Path dir) throws Exception {
        KeyPair keys = KeyPairFiles.generate();
        Path model = TestPackages.writeTorchScriptLike(dir);
        Path pkg = dir.resolve("tiny.elpkg");
        pack(model, IN, OUT, List.of("a", "b", "c"), keys, pkg);

        VerifiedPackage verified = new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(pkg, keys.getPublic());
        Manifest m = verified.manifest();
        assertEquals("torchscript", m.framework());
        assertEquals(IN, m.inputs());
        assertEquals(OUT, m.outputs());
        assertEquals(List.of("a", "b", "c"), m.labels());
        assertEquals(List.of("fp32"), m.variants().stream().map(Variant::id).toList());
        assertEquals("model.pt", m.variants().get(0).file());
        assertNull(m.baseline(), "ONNX Runtime measures baselines; it cannot run TorchScript");
        assertArrayEquals(Files.readAllBytes(model), verified.readFile("model.pt"));
    }

    @Test
    void refusesWhatCannotBeServed(@TempDir Path dir) throws Exception {
        KeyPair keys = KeyPairFiles.generate();
        Path model = TestPackages.writeTorchScriptLike(dir);
        Path pkg = dir.resolve("x.elpkg");

        Path onnx = Files.write(dir.resolve("other.pt"), new byte[]{8, 1, 18, 4});
        assertEquals(ErrorCode.MODEL_INVALID,
                assertThrows(EdgeLoopException.class, () -> pack(onnx, IN, OUT, List.of(), keys, pkg)).code());
        assertRefused("does not exist", () -> pack(dir.resolve("none.pt"), IN, OUT, List.of(), keys, pkg));
        assertRefused("at least one declared input", () -> pack(model, List.of(), OUT, List.of(), keys, pkg));
        assertRefused("at least one declared output", () -> pack(model, IN, List.of(), List.of(), keys, pkg));
        assertRefused("datatype FP16", () -> pack(model, List.of(new TensorSpec("x", "FP16", List.of(-1L))), OUT,
                List.of(), keys, pkg));
        assertRefused("dimension 0", () -> pack(model, List.of(new TensorSpec("x", "FP32", List.of(0L))), OUT,
                List.of(), keys, pkg));
        assertRefused("declared twice", () -> pack(model, List.of(IN.get(0), IN.get(0)), OUT, List.of(), keys, pkg));
        assertRefused("2 labels given but output 'probs' has 3", () -> pack(model, IN, OUT, List.of("a", "b"), keys, pkg));
        assertTrue(Files.notExists(pkg), "nothing is written for a refused request");
    }

    @Test
    void parsesTensorDeclarations() throws Exception {
        assertEquals(new TensorSpec("features", "FP32", List.of(-1L, 6L)), TorchScriptPackager.parseSpec("features:fp32:-1,6"));
        assertEquals(new TensorSpec("s", "INT64", List.of()), TorchScriptPackager.parseSpec("s:INT64:"));
        assertRefused("must read NAME:DATATYPE:DIM", () -> TorchScriptPackager.parseSpec("features:FP32"));
        assertRefused("dimension 'x'", () -> TorchScriptPackager.parseSpec("features:FP32:-1,x"));
    }

    private static void assertRefused(String expected, org.junit.jupiter.api.function.Executable call) {
        EdgeLoopException e = assertThrows(EdgeLoopException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
