package io.edgeloop.packageformat;

import io.edgeloop.fixtures.TestPackages;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.packageformat.sign.ManifestSigner;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.RunnerOptions;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static io.edgeloop.fixtures.TestPackages.MODEL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One test per refusal of issue 3 point 5, each on a package built for it, plus the happy path. */
class PackageVerifierTest {
    @TempDir
    Path dir;
    private KeyPair keys;
    private Path good;
    private Path extractTo;

    @BeforeEach
    void buildGoodPackage() throws Exception {
        keys = KeyPairFiles.generate();
        good = TestPackages.goodPackage(dir, keys);
        extractTo = Files.createDirectories(dir.resolve("extracted"));
    }

    @Test
    void goodPackageVerifiesExtractsAndRunsInOnnxRuntime() throws Exception {
        VerifiedPackage verified = new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(good, keys.getPublic());
        assertEquals("tiny-classifier", verified.manifest().name());
        assertEquals(Manifest.FORMAT_VERSION, verified.manifest().formatVersion());

        Path model = verified.extractVariant("fp32", extractTo);
        assertEquals(extractTo.resolve(MODEL), model);
        float[] input = new float[2 * 784];
        Random rnd = new Random(3);
        for (int i = 0; i < input.length; i++) {
            input[i] = rnd.nextFloat();
        }
        float[][] fromPackage;
        float[][] original;
        try (OrtRunner extracted = new OrtRunner(Files.readAllBytes(model), RunnerOptions.DEFAULT);
             OrtRunner reference = new OrtRunner(TestPackages.tinyModel(1), RunnerOptions.DEFAULT)) {
            fromPackage = extracted.run(input, new long[]{2, 784});
            original = reference.run(input, new long[]{2, 784});
        }
        assertArrayEquals(original[0], fromPackage[0]);
        assertArrayEquals(original[1], fromPackage[1]);
        float sum = 0;
        for (float p : fromPackage[0]) {
            sum += p;
        }
        assertEquals(1.0f, sum, 1e-4f);
    }

    @Test
    void packagesAreByteForByteReproducible() throws Exception {
        Path model = dir.resolve("src").resolve(MODEL);
        Manifest manifest = TestPackages.manifest(TestPackages.entryFor(MODEL, model), VariantConstraints.ANY);
        Path again = new PackageWriter().write(dir.resolve("again.elpkg"), manifest, Map.of(MODEL, model),
                new ManifestSigner(keys));
        assertArrayEquals(Files.readAllBytes(good), Files.readAllBytes(again));
        assertEquals(List.of("manifest.json", MODEL, "manifest.sig"),
                TestPackages.entries(good).stream().map(Map.Entry::getKey).toList());
    }

    @Test
    void changedModelByteIsHashMismatch() throws Exception {
        Path bad = TestPackages.withEntryChanged(good, dir.resolve("bad.elpkg"), MODEL, b -> TestPackages.flipByte(b, b.length / 2));
        assertRefused(bad, ErrorCode.PACKAGE_HASH_MISMATCH, MODEL);
    }

    @Test
    void flippedByteInTheRawCompressedModelIsHashMismatch() throws Exception {
        byte[] raw = Files.readAllBytes(good);
        int header = localHeaderOf(raw, MODEL);
        int nameLength = (raw[header + 26] & 0xff) | (raw[header + 27] & 0xff) << 8;
        int extraLength = (raw[header + 28] & 0xff) | (raw[header + 29] & 0xff) << 8;
        raw[header + 30 + nameLength + extraLength + 2000] ^= 0x10;
        Path bad = Files.write(dir.resolve("bad.elpkg"), raw);
        assertRefused(bad, ErrorCode.PACKAGE_HASH_MISMATCH, MODEL);
    }

    private static int localHeaderOf(byte[] raw, String name) {
        byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + 30 + wanted.length < raw.length; i++) {
            if (raw[i] == 'P' && raw[i + 1] == 'K' && raw[i + 2] == 3 && raw[i + 3] == 4
                    && java.util.Arrays.equals(raw, i + 30, i + 30 + wanted.length, wanted, 0, wanted.length)) {
                return i;
            }
        }
        throw new AssertionError("no local header for " + name);
    }

    @Test
    void changedManifestByteIsSignatureInvalid() throws Exception {
        Path bad = TestPackages.withEntryChanged(good, dir.resolve("bad.elpkg"), "manifest.json",
                b -> TestPackages.text(b).replace("\"1.2.0\"", "\"1.2.1\"").getBytes(StandardCharsets.UTF_8));
        assertRefused(bad, ErrorCode.PACKAGE_SIGNATURE_INVALID, "manifest.json");
    }

    @Test
    void otherKeyIsKeyMismatch() throws Exception {
        KeyPair other = KeyPairFiles.generate();
        PackageException e = assertThrows(PackageException.class, () ->
                new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(good, other.getPublic()).extractAll(extractTo));
        assertEquals(ErrorCode.PACKAGE_KEY_MISMATCH, e.code(), e.getMessage());
        assertNothingExtracted();
    }

    @Test
    void missingSignatureIsSignatureMissing() throws Exception {
        List<Map.Entry<String, byte[]>> entries = new ArrayList<>(TestPackages.entries(good));
        entries.removeIf(e -> e.getKey().equals("manifest.sig"));
        Path bad = TestPackages.writeZip(dir.resolve("bad.elpkg"), entries);
        assertRefused(bad, ErrorCode.PACKAGE_SIGNATURE_MISSING, "manifest.sig");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil", "models/../../evil", "/etc/evil", "C:/evil", "models\\..\\evil", "./evil"})
    void entryEscapingThePackageIsUnsafePath(String name) throws Exception {
        List<Map.Entry<String, byte[]>> entries = new ArrayList<>(TestPackages.entries(good));
        entries.add(1, Map.entry(name, "#!/bin/sh\necho owned\n".getBytes(StandardCharsets.US_ASCII)));
        Path bad = TestPackages.writeZip(dir.resolve("bad.elpkg"), entries);
        assertRefused(bad, ErrorCode.PACKAGE_UNSAFE_PATH, "evil");
        assertTrue(Files.notExists(dir.resolve("evil")) && Files.notExists(extractTo.resolveSibling("evil")));
    }

    @Test
    void duplicateEntryIsDuplicateEntry() throws Exception {
        // ZipOutputStream refuses duplicate names, so write a same-length twin and rename it in the raw bytes.
        List<Map.Entry<String, byte[]>> entries = new ArrayList<>(TestPackages.entries(good));
        byte[] evilModel = TestPackages.tinyModel(99).toBytes();
        entries.add(2, Map.entry("mXdel.onnx", evilModel));
        Path bad = TestPackages.patchBytes(TestPackages.writeZip(dir.resolve("bad.elpkg"), entries), "mXdel.onnx", MODEL);
        assertEquals(2, TestPackages.entries(bad).stream().filter(e -> e.getKey().equals(MODEL)).count());
        assertRefused(bad, ErrorCode.PACKAGE_DUPLICATE_ENTRY, MODEL);
    }

    @Test
    void entryInflatingBeyondItsDeclaredSizeIsEntryTooLarge() throws Exception {
        // A correctly signed manifest declares 1 KiB; the entry inflates to 64 MiB of zeros (~64 KiB compressed).
        Path bomb = TestPackages.zeros(dir.resolve("bomb.onnx"), 64L << 20);
        FileEntry declared = new FileEntry(MODEL, TestPackages.sha256(new byte[1024]), 1024);
        Path bad = new PackageWriter().write(dir.resolve("bad.elpkg"),
                TestPackages.manifest(declared, VariantConstraints.ANY), Map.of(MODEL, bomb), new ManifestSigner(keys));
        assertTrue(Files.size(bad) < 1 << 20, "the bomb should compress well, is " + Files.size(bad));
        PackageException e = assertRefused(bad, ErrorCode.PACKAGE_ENTRY_TOO_LARGE, MODEL);
        assertTrue(e.getMessage().contains("declared size"), e.getMessage());
    }

    @Test
    void entryInflatingBeyondTheSizeItsZipHeaderDeclaresIsEntryTooLarge() throws Exception {
        // The signed manifest is honest; the zip's central directory claims the model inflates to 1000 bytes.
        byte[] raw = Files.readAllBytes(good);
        int cen = centralHeaderOf(raw, MODEL);
        raw[cen + 24] = (byte) 0xe8;
        raw[cen + 25] = 0x03;
        raw[cen + 26] = 0;
        raw[cen + 27] = 0;
        Path bad = Files.write(dir.resolve("bad.elpkg"), raw);
        PackageException e = assertRefused(bad, ErrorCode.PACKAGE_ENTRY_TOO_LARGE, MODEL);
        assertTrue(e.getMessage().contains("zip header"), e.getMessage());
    }

    private static int centralHeaderOf(byte[] raw, String name) {
        byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + 46 + wanted.length < raw.length; i++) {
            if (raw[i] == 'P' && raw[i + 1] == 'K' && raw[i + 2] == 1 && raw[i + 3] == 2
                    && java.util.Arrays.equals(raw, i + 46, i + 46 + wanted.length, wanted, 0, wanted.length)) {
                return i;
            }
        }
        throw new AssertionError("no central directory record for " + name);
    }

    @Test
    void entryOverTheSizeLimitIsEntryTooLargeWithoutInflatingIt() throws Exception {
        // Declared honestly (64 MiB) and signed, but over this verifier's 1 MiB per-entry limit:
        // refused from the manifest, before a byte of it is inflated.
        Path big = TestPackages.zeros(dir.resolve("big.onnx"), 64L << 20);
        Path bad = new PackageWriter().write(dir.resolve("bad.elpkg"),
                TestPackages.manifest(TestPackages.entryFor(MODEL, big), VariantConstraints.ANY),
                Map.of(MODEL, big), new ManifestSigner(keys));
        PackageVerifier.Options limited = PackageVerifier.Options.DEFAULTS.withMaxEntryBytes(1 << 20);
        PackageException e = assertThrows(PackageException.class,
                () -> new PackageVerifier(limited).verify(bad, keys.getPublic()).extractAll(extractTo));
        assertEquals(ErrorCode.PACKAGE_ENTRY_TOO_LARGE, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("per-entry limit"), e.getMessage());
        assertNothingExtracted();
    }

    @Test
    void unknownFormatVersionIsFormatUnsupported() throws Exception {
        Path model = dir.resolve("src").resolve(MODEL);
        Manifest v2 = TestPackages.manifest(TestPackages.entryFor(MODEL, model), VariantConstraints.ANY, 2);
        Path bad = new PackageWriter().write(dir.resolve("bad.elpkg"), v2, Map.of(MODEL, model), new ManifestSigner(keys));
        assertRefused(bad, ErrorCode.PACKAGE_FORMAT_UNSUPPORTED, "version 2");
    }

    @Test
    void variantNoKnownProfileCanRunIsNoCompatibleVariant() throws Exception {
        Path model = dir.resolve("src").resolve(MODEL);
        Manifest toaster = TestPackages.manifest(TestPackages.entryFor(MODEL, model),
                new VariantConstraints(List.of("toaster-9000"), null, List.of()));
        Path bad = new PackageWriter().write(dir.resolve("bad.elpkg"), toaster, Map.of(MODEL, model), new ManifestSigner(keys));
        assertRefused(bad, ErrorCode.PACKAGE_NO_COMPATIBLE_VARIANT, "toaster-9000");
    }

    @Test
    void variantNeedingFeaturesNoProfileHasIsNoCompatibleVariant() throws Exception {
        Path model = dir.resolve("src").resolve(MODEL);
        Manifest amx = TestPackages.manifest(TestPackages.entryFor(MODEL, model),
                new VariantConstraints(List.of(), "aarch64", List.of("amx_tile")));
        Path bad = new PackageWriter().write(dir.resolve("bad.elpkg"), amx, Map.of(MODEL, model), new ManifestSigner(keys));
        assertRefused(bad, ErrorCode.PACKAGE_NO_COMPATIBLE_VARIANT, "amx_tile");
    }

    @Test
    void unlistedEntryIsUnknownEntry() throws Exception {
        List<Map.Entry<String, byte[]>> entries = new ArrayList<>(TestPackages.entries(good));
        entries.add(2, Map.entry("extra.so", new byte[]{1, 2, 3}));
        assertRefused(TestPackages.writeZip(dir.resolve("bad.elpkg"), entries), ErrorCode.PACKAGE_UNKNOWN_ENTRY, "extra.so");
    }

    @Test
    void listedButAbsentEntryIsMissingEntry() throws Exception {
        List<Map.Entry<String, byte[]>> entries = new ArrayList<>(TestPackages.entries(good));
        entries.removeIf(e -> e.getKey().equals(MODEL));
        assertRefused(TestPackages.writeZip(dir.resolve("bad.elpkg"), entries), ErrorCode.PACKAGE_MISSING_ENTRY, MODEL);
    }

    @Test
    void notAZipIsUnreadable() throws Exception {
        Path bad = Files.write(dir.resolve("bad.elpkg"), "this is not a zip".getBytes(StandardCharsets.US_ASCII));
        assertRefused(bad, ErrorCode.PACKAGE_UNREADABLE, "bad.elpkg");
    }

    @Test
    void modelReplacedAfterVerificationIsCaughtAtExtraction() throws Exception {
        VerifiedPackage verified = new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(good, keys.getPublic());
        Path swapped = TestPackages.withEntryChanged(good, dir.resolve("swapped.elpkg"), MODEL, b -> TestPackages.flipByte(b, 10));
        Files.move(swapped, good, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        PackageException e = assertThrows(PackageException.class, () -> verified.extractVariant("fp32", extractTo));
        assertEquals(ErrorCode.PACKAGE_HASH_MISMATCH, e.code());
        assertNothingExtracted();
    }

    private PackageException assertRefused(Path bad, ErrorCode expected, String mentioned) throws IOException {
        PackageException e = assertThrows(PackageException.class, () ->
                new PackageVerifier(PackageVerifier.Options.DEFAULTS).verify(bad, keys.getPublic()).extractAll(extractTo));
        assertEquals(expected, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(mentioned), "message should name '" + mentioned + "': " + e.getMessage());
        assertNothingExtracted();
        return e;
    }

    private void assertNothingExtracted() throws IOException {
        try (Stream<Path> files = Files.list(extractTo)) {
            assertEquals(List.of(), files.toList(), "nothing may be extracted from a refused package");
        }
    }
}
