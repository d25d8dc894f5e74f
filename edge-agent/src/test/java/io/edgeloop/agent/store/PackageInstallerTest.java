package io.edgeloop.agent.store;

import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.KnownProfiles;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackageInstallerTest {
    @TempDir
    static Path dir;
    static KeyPair keys;
    static Path good;

    @BeforeAll
    static void pack() throws Exception {
        keys = KeyPairFiles.generate();
        good = TestPackages.mlpPackage(dir, "fashion", "1.0.0", keys);
    }

    private static PackageInstaller installer(ModelStore store, PublicKey key) {
        return new PackageInstaller(store, new PackageVerifier(PackageVerifier.Options.DEFAULTS), () -> key,
                KnownProfiles.byId("generic-x86_64").orElseThrow(), KnownProfiles.ALL);
    }

    @Test
    void installsTheVariantForThisProfileWithItsBaseline() throws Exception {
        ModelStore store = new ModelStore(dir.resolve("ok"), new StoreOptions(2));
        ModelDescriptor d = installer(store, keys.getPublic()).install(good);
        assertEquals("fashion", d.name());
        assertEquals("1.0.0", d.version());
        assertEquals("fp32", d.variant());
        assertEquals(10, d.classes().size());
        assertNotNull(d.baseline());
        assertTrue(Files.isRegularFile(store.versionDir("fashion", "1.0.0").resolve("model.onnx")));
        assertTrue(Files.isRegularFile(store.versionDir("fashion", "1.0.0").resolve("manifest.json")));
        ModelDescriptor stored = store.descriptor("fashion", "1.0.0");
        assertEquals(d.classes(), stored.classes());
        assertEquals(d.baseline().inputs().size(), stored.baseline().inputs().size());
        assertEquals(d.baseline().outputs().meanConfidence(), stored.baseline().outputs().meanConfidence());
        // Installing the same version again is a no-op.
        assertEquals("fp32", installer(store, keys.getPublic()).install(good).variant());
        assertEquals(List.of("1.0.0"), store.versions("fashion"));
    }

    @Test
    void aPackageSignedByAnotherKeyOrAlteredIsRefusedBeforeAnythingIsExtracted() throws Exception {
        ModelStore store = new ModelStore(dir.resolve("bad"), new StoreOptions(2));
        EdgeLoopException wrongKey = assertThrows(EdgeLoopException.class,
                () -> installer(store, KeyPairFiles.generate().getPublic()).install(good));
        assertTrue(List.of(ErrorCode.PACKAGE_KEY_MISMATCH, ErrorCode.PACKAGE_SIGNATURE_INVALID).contains(wrongKey.code()),
                wrongKey.describe());
        Path altered = TestPackages.withEntryChanged(good, dir.resolve("altered.elpkg"), "model.onnx", b -> {
            byte[] c = b.clone();
            c[c.length - 1] ^= 1;
            return c;
        });
        EdgeLoopException hash = assertThrows(EdgeLoopException.class,
                () -> installer(store, keys.getPublic()).install(altered));
        assertEquals(ErrorCode.PACKAGE_HASH_MISMATCH, hash.code(), hash.describe());
        assertEquals(List.of(), store.versions("fashion"));
    }

    @Test
    void withoutAPublisherKeyThePackageIsRefusedAsKeyMissingWithAdviceToConfigureOne() throws Exception {
        ModelStore store = new ModelStore(dir.resolve("nokey"), new StoreOptions(2));
        EdgeLoopException missing = assertThrows(EdgeLoopException.class, () -> installer(store, null).install(good));
        assertEquals(ErrorCode.PACKAGE_KEY_MISSING, missing.code(), missing.describe());
        assertTrue(missing.describe().contains("--pubkey FILE") && missing.describe().contains("publicKey in agent.yaml"),
                missing.describe());
        assertFalse(missing.describe().contains("different key"), missing.describe());
        assertEquals(List.of(), store.versions("fashion"));
    }
}
