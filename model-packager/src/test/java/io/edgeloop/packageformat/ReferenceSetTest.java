package io.edgeloop.packageformat;

import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packageformat.sign.ManifestSigner;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static io.edgeloop.fixtures.TestPackages.MODEL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference file on its own, and carried in packages the verifier accepts or refuses. */
class ReferenceSetTest {
    @TempDir
    Path dir;

    private static ReferenceSet sample(int count, long... shape) {
        int width = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        Random rnd = new Random(5);
        float[] inputs = new float[count * width];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = rnd.nextFloat();
        }
        int[] expected = new int[count];
        for (int i = 0; i < count; i++) {
            expected[i] = i % 10;
        }
        return ReferenceSet.of(shape, 10, inputs, expected);
    }

    @Test
    void roundTripKeepsEverySampleAnswerAndShape() throws Exception {
        ReferenceSet set = sample(7, 1, 28, 28);
        ReferenceSet read = ReferenceSet.parse(set.toBytes());
        assertEquals(7, read.count());
        assertEquals(10, read.classes());
        assertEquals(784, read.width());
        assertArrayEquals(new long[]{1, 28, 28}, read.sampleShape());
        assertArrayEquals(new long[]{3, 1, 28, 28}, read.batchShape(3));
        for (int i = 0; i < 7; i++) {
            assertArrayEquals(set.input(i), read.input(i));
            assertEquals(i % 10, read.expectedTop1(i));
        }
        float[] batch = read.inputs(2, 4);
        assertArrayEquals(read.input(2), Arrays.copyOfRange(batch, 0, 784));
        assertArrayEquals(read.input(3), Arrays.copyOfRange(batch, 784, 1568));
        assertEquals(6.0 / 7, read.agreement(new int[]{0, 1, 2, 3, 4, 5, 9}), 1e-12);
        assertThrows(IndexOutOfBoundsException.class, () -> read.input(7));
    }

    @Test
    void fileIsLittleEndianWithItsHeaderFirst() {
        byte[] bytes = sample(2, 3).toBytes();
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("ELREFSET", new String(bytes, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, in.getInt(8));   // file version
        assertEquals(2, in.getInt(12));  // count
        assertEquals(10, in.getInt(16)); // classes
        assertEquals(1, in.getInt(20));  // rank
        assertEquals(3, in.getInt(24));  // dims
        assertEquals(0, in.getInt(28));  // expected[0]
        assertEquals(1, in.getInt(32));  // expected[1]
        assertEquals(36 + 2 * 3 * 4, bytes.length);
    }

    @Test
    void malformedFilesAreRefusedWithReferenceInvalid() {
        byte[] good = sample(4, 6).toBytes();
        assertRefused(Arrays.copyOf(good, 10), ErrorCode.PACKAGE_REFERENCE_INVALID, "header");
        assertRefused(Arrays.copyOf(good, good.length - 1), ErrorCode.PACKAGE_REFERENCE_INVALID, "bytes");
        assertRefused(Arrays.copyOf(good, good.length + 4), ErrorCode.PACKAGE_REFERENCE_INVALID, "bytes");
        assertRefused(patch(good, 0, 'X'), ErrorCode.PACKAGE_REFERENCE_INVALID, "ELREFSET");
        assertRefused(patchInt(good, 8, 2), ErrorCode.PACKAGE_REFERENCE_INVALID, "version 2");
        assertRefused(patchInt(good, 12, 0), ErrorCode.PACKAGE_REFERENCE_INVALID, "0 samples");
        assertRefused(patchInt(good, 16, 0), ErrorCode.PACKAGE_REFERENCE_INVALID, "0 classes");
        assertRefused(patchInt(good, 20, 9), ErrorCode.PACKAGE_REFERENCE_INVALID, "rank of 9");
        assertRefused(patchInt(good, 24, -6), ErrorCode.PACKAGE_REFERENCE_INVALID, "dimension of -6");
        assertRefused(patchInt(good, 28, 10), ErrorCode.PACKAGE_REFERENCE_INVALID, "class 10");
        ByteBuffer nan = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
        nan.putFloat(good.length - 4, Float.NaN);
        assertRefused(nan.array(), ErrorCode.PACKAGE_REFERENCE_INVALID, "non-finite");
    }

    @Test
    void hugeDeclaredSizesAreRefusedBeforeAnythingIsAllocated() {
        byte[] good = sample(4, 6).toBytes();
        // 4096 samples of 2^31-1 values would be 32 TiB; the header alone must refuse it.
        assertRefused(patchInt(patchInt(good, 12, 4096), 24, Integer.MAX_VALUE), ErrorCode.PACKAGE_REFERENCE_INVALID,
                "larger than");
        assertRefused(patchInt(good, 12, Integer.MAX_VALUE), ErrorCode.PACKAGE_REFERENCE_INVALID, "samples");
        assertRefused(new byte[(int) ReferenceSet.MAX_BYTES + 1], ErrorCode.PACKAGE_ENTRY_TOO_LARGE, "limit");
    }

    @Test
    void ofRefusesFiguresThatDoNotFitTogether() {
        assertThrows(IllegalArgumentException.class, () -> ReferenceSet.of(new long[]{4}, 10, new float[7], new int[2]));
        assertThrows(IllegalArgumentException.class, () -> ReferenceSet.of(new long[]{4}, 10, new float[8], new int[]{0, 10}));
        assertThrows(IllegalArgumentException.class, () -> ReferenceSet.of(new long[]{4}, 10, new float[0], new int[0]));
        assertEquals(ReferenceSet.MAX_COUNT, ReferenceSet.maxCount(1, 784));
        int most = ReferenceSet.maxCount(3, 3 * 224 * 224);
        assertEquals(111, most); // 64 MiB / (4 + 602112 bytes)
    }

    @Test
    void packageWithoutReferenceSetVerifiesAndHasNone() throws Exception {
        KeyPair keys = KeyPairFiles.generate();
        Path old = TestPackages.goodPackage(dir, keys);
        VerifiedPackage verified = new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(old, keys.getPublic());
        assertEquals(Optional.empty(), verified.referenceSet());
    }

    @Test
    void signedPackageCarriesItsReferenceSet() throws Exception {
        KeyPair keys = KeyPairFiles.generate();
        ReferenceSet set = sample(5, 784);
        Path pkg = packageWith(keys, set.toBytes(), "with.elpkg");
        VerifiedPackage verified = new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(pkg, keys.getPublic());
        ReferenceSet read = verified.referenceSet().orElseThrow();
        assertEquals(5, read.count());
        assertArrayEquals(set.input(4), read.input(4));
        assertTrue(verified.manifest().file(ReferenceSet.ENTRY).isPresent());
    }

    @Test
    void changedReferenceByteIsHashMismatch() throws Exception {
        KeyPair keys = KeyPairFiles.generate();
        Path pkg = packageWith(keys, sample(5, 784).toBytes(), "with.elpkg");
        Path bad = TestPackages.withEntryChanged(pkg, dir.resolve("bad.elpkg"), ReferenceSet.ENTRY,
                b -> TestPackages.flipByte(b, 100));
        PackageException e = assertThrows(PackageException.class,
                () -> new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(bad, keys.getPublic()));
        assertEquals(ErrorCode.PACKAGE_HASH_MISMATCH, e.code());
    }

    @Test
    void signedButMalformedReferenceRefusesThePackage() throws Exception {
        KeyPair keys = KeyPairFiles.generate();
        byte[] bytes = sample(5, 784).toBytes();
        Path pkg = packageWith(keys, Arrays.copyOf(bytes, bytes.length - 4), "short.elpkg");
        PackageException e = assertThrows(PackageException.class,
                () -> new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(pkg, keys.getPublic()));
        assertEquals(ErrorCode.PACKAGE_REFERENCE_INVALID, e.code());
    }

    @Test
    void referenceSamplesThatDoNotFitTheModelInputRefuseThePackage() throws Exception {
        KeyPair keys = KeyPairFiles.generate();
        // The tiny model takes [batch, 784]; samples of [1, 28, 28] hold as many values in another layout.
        Path pkg = packageWith(keys, sample(3, 1, 28, 28).toBytes(), "layout.elpkg");
        PackageException e = assertThrows(PackageException.class,
                () -> new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(pkg, keys.getPublic()));
        assertEquals(ErrorCode.PACKAGE_REFERENCE_INVALID, e.code());
        assertTrue(e.getMessage().contains("[1, 28, 28]"), e.getMessage());
    }

    @Test
    void referenceDeclaredOverTheLimitIsEntryTooLargeWithoutReadingIt() throws Exception {
        KeyPair keys = KeyPairFiles.generate();
        Path model = TestPackages.writeTinyModel(Files.createDirectories(dir.resolve("big")), 1);
        Path ref = TestPackages.zeros(dir.resolve("big").resolve("reference.bin"), ReferenceSet.MAX_BYTES + 1);
        Path pkg = signed(keys, model, ref, "big.elpkg");
        PackageException e = assertThrows(PackageException.class,
                () -> new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(pkg, keys.getPublic()));
        assertEquals(ErrorCode.PACKAGE_ENTRY_TOO_LARGE, e.code());
        assertTrue(e.getMessage().contains("reference"), e.getMessage());
    }

    private Path packageWith(KeyPair keys, byte[] reference, String name) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src-" + name));
        Path model = TestPackages.writeTinyModel(src, 1);
        Path ref = Files.write(src.resolve(ReferenceSet.ENTRY), reference);
        return signed(keys, model, ref, name);
    }

    private Path signed(KeyPair keys, Path model, Path reference, String name) throws Exception {
        Manifest base = TestPackages.manifest(TestPackages.entryFor(MODEL, model), VariantConstraints.ANY);
        FileEntry ref = new FileEntry(ReferenceSet.ENTRY, TestPackages.sha256(Files.readAllBytes(reference)),
                Files.size(reference));
        Manifest manifest = new Manifest(base.formatVersion(), base.name(), base.version(), base.createdAt(),
                base.framework(), List.of(base.files().get(0), ref), base.inputs(), base.outputs(),
                base.preprocessing(), base.labels(), base.variants(), base.metrics(), base.lineage(), base.baseline());
        Map<String, Path> files = new LinkedHashMap<>();
        files.put(MODEL, model);
        files.put(ReferenceSet.ENTRY, reference);
        return new PackageWriter().write(dir.resolve(name), manifest, files, new ManifestSigner(keys));
    }

    private static void assertRefused(byte[] bytes, ErrorCode code, String mention) {
        PackageException e = assertThrows(PackageException.class, () -> ReferenceSet.parse(bytes));
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(mention), e.getMessage());
    }

    private static byte[] patch(byte[] bytes, int at, char c) {
        byte[] out = bytes.clone();
        out[at] = (byte) c;
        return out;
    }

    private static byte[] patchInt(byte[] bytes, int at, int value) {
        byte[] out = bytes.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        return out;
    }
}
