package io.edgeloop.packageformat.sign;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyPairFilesTest {

    @Test
    void keygenWritesPemFilesWithAnOwnerOnlyPrivateKey(@TempDir Path dir) throws Exception {
        KeyPairFiles.Paths paths = KeyPairFiles.generate(dir, "release");
        assertEquals(dir.resolve("release.key"), paths.privateKey());
        assertTrue(Files.readString(paths.privateKey()).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(Files.readString(paths.publicKey()).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.privateKey())));
        EdgeLoopException again = assertThrows(EdgeLoopException.class, () -> KeyPairFiles.generate(dir, "release"));
        assertTrue(again.getMessage().contains("already exists"));
    }

    @Test
    void privateKeyFileAloneGivesTheWholePairAndSignaturesVerify(@TempDir Path dir) throws Exception {
        KeyPairFiles.Paths paths = KeyPairFiles.generate(dir, "k");
        KeyPair pair = KeyPairFiles.loadPair(paths.privateKey());
        PublicKey published = KeyPairFiles.loadPublic(paths.publicKey());
        assertArrayEquals(published.getEncoded(), pair.getPublic().getEncoded());

        byte[] manifest = "{\"formatVersion\":1}".getBytes(StandardCharsets.UTF_8);
        ManifestSignature signature = new ManifestSigner(pair).sign(manifest);
        assertEquals(KeyIds.of(published), signature.keyId());
        assertEquals(16, signature.keyId().length());
        new SignatureVerifier(published).verify(manifest, signature);

        byte[] altered = "{\"formatVersion\":2}".getBytes(StandardCharsets.UTF_8);
        EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> new SignatureVerifier(published).verify(altered, signature));
        assertEquals(ErrorCode.PACKAGE_SIGNATURE_INVALID, e.code());
        EdgeLoopException other = assertThrows(EdgeLoopException.class,
                () -> new SignatureVerifier(KeyPairFiles.generate().getPublic()).verify(manifest, signature));
        assertEquals(ErrorCode.PACKAGE_KEY_MISMATCH, other.code());
    }

    @Test
    void wrongFilesAreRefusedWithTheirName(@TempDir Path dir) throws Exception {
        KeyPairFiles.Paths paths = KeyPairFiles.generate(dir, "k");
        EdgeLoopException swapped = assertThrows(EdgeLoopException.class, () -> KeyPairFiles.loadPublic(paths.privateKey()));
        assertEquals(ErrorCode.INVALID_ARGUMENT, swapped.code());
        assertTrue(swapped.getMessage().contains("k.key"));
        Path missing = dir.resolve("nope.pub");
        assertTrue(assertThrows(EdgeLoopException.class, () -> KeyPairFiles.loadPublic(missing)).getMessage().contains("nope.pub"));
    }
}
