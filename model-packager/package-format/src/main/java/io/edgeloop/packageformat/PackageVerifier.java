package io.edgeloop.packageformat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.packageformat.sign.ManifestSignature;
import io.edgeloop.packageformat.sign.SignatureVerifier;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Checks an {@code .elpkg} before anything in it is used. In order: the central directory's
 * names (no unsafe path, no duplicate, not too many); {@code manifest.sig} and
 * {@code manifest.json} read bounded; the signature over the stored manifest bytes as they are;
 * only then the manifest is parsed, its format version checked and its variants matched against
 * the known device profiles; entries the manifest does not list are refused without being
 * inflated; finally one streaming pass over the local headers hashes every listed file, counting
 * inflated bytes against the declared size and the limits, and parses the reference set
 * ({@link ReferenceSet}) when the package carries one. Nothing is extracted here; the
 * returned {@link VerifiedPackage} extracts, and re-checks each hash as it does.
 */
public final class PackageVerifier {

    /**
     * Limits of one verifier.
     *
     * @param maxEntries       most entries a package may hold
     * @param maxEntryBytes    most inflated bytes of any one entry
     * @param maxTotalBytes    most inflated bytes of all entries together
     * @param maxManifestBytes most bytes of {@code manifest.json} or {@code manifest.sig}
     * @param knownProfiles    device classes a variant must suit at least one of
     */
    public record Options(int maxEntries, long maxEntryBytes, long maxTotalBytes, long maxManifestBytes,
                          List<ProfileTraits> knownProfiles) {
        public static final int DEFAULT_MAX_ENTRIES = 64;
        public static final long DEFAULT_MAX_ENTRY_BYTES = 512L << 20;
        public static final long DEFAULT_MAX_TOTAL_BYTES = 2L << 30;
        public static final long DEFAULT_MAX_MANIFEST_BYTES = 16L << 20;
        public static final Options DEFAULTS = new Options(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_ENTRY_BYTES,
                DEFAULT_MAX_TOTAL_BYTES, DEFAULT_MAX_MANIFEST_BYTES, KnownProfiles.ALL);

        public Options {
            if (maxEntries < 2 || maxEntryBytes < 1 || maxTotalBytes < maxEntryBytes || maxManifestBytes < 1) {
                throw new IllegalArgumentException("package limits must be positive, with the total at least the entry limit");
            }
            knownProfiles = List.copyOf(knownProfiles);
        }

        public Options withMaxEntryBytes(long bytes) {
            return new Options(maxEntries, bytes, Math.max(maxTotalBytes, bytes), maxManifestBytes, knownProfiles);
        }
    }

    private final Options options;
    private final VariantSelector selector;

    public PackageVerifier(Options options) {
        this.options = options;
        this.selector = new VariantSelector(options.knownProfiles());
    }

    /** Verifies the package against the publisher's public key; throws on the first failed check. */
    public VerifiedPackage verify(Path packageFile, PublicKey trustedKey) throws PackageException {
        if (!Files.isRegularFile(packageFile)) {
            throw new PackageException(ErrorCode.PACKAGE_UNREADABLE, packageFile + " is not a file");
        }
        byte[] manifestBytes;
        byte[] signatureBytes;
        Map<String, Long> central;
        try (ZipFile zip = new ZipFile(packageFile.toFile())) {
            central = centralDirectory(zip);
            signatureBytes = readSmall(zip, EntryNames.SIGNATURE, ErrorCode.PACKAGE_SIGNATURE_MISSING,
                    "the package has no manifest.sig");
            manifestBytes = readSmall(zip, EntryNames.MANIFEST, ErrorCode.PACKAGE_MISSING_ENTRY,
                    "the package has no manifest.json");
        } catch (ZipException e) {
            throw new PackageException(ErrorCode.PACKAGE_UNREADABLE, packageFile + " is not a valid zip: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PackageException(ErrorCode.PACKAGE_UNREADABLE, "cannot read " + packageFile + ": " + e.getMessage(), e);
        }
        ManifestSignature signature = parseSignature(signatureBytes);
        try {
            new SignatureVerifier(trustedKey).verify(manifestBytes, signature);
        } catch (PackageException e) {
            throw e;
        } catch (EdgeLoopException e) {
            throw new PackageException(e.code(), e.getMessage(), e);
        }
        JsonNode tree = ManifestJson.tree(manifestBytes);
        int version = ManifestJson.formatVersion(tree);
        if (version != Manifest.FORMAT_VERSION) {
            throw new PackageException(ErrorCode.PACKAGE_FORMAT_UNSUPPORTED, "manifest.json has format version "
                    + version + "; this EdgeLoop reads version " + Manifest.FORMAT_VERSION);
        }
        Manifest manifest = ManifestJson.parse(tree);
        requireRunnableVariants(manifest);
        requireListed(central.keySet(), manifest);
        scanLocalEntries(packageFile, central, manifest, manifestBytes, signatureBytes);
        return new VerifiedPackage(packageFile, manifest, manifestBytes, signature.keyId(), options.maxEntryBytes());
    }

    /** Entry names with the uncompressed size the zip declares for each (-1 when it declares none). */
    private Map<String, Long> centralDirectory(ZipFile zip) throws PackageException {
        if (zip.size() > options.maxEntries()) {
            throw new PackageException(ErrorCode.PACKAGE_UNREADABLE, "the package holds " + zip.size()
                    + " entries, more than the limit of " + options.maxEntries());
        }
        Map<String, Long> entries = new LinkedHashMap<>();
        for (ZipEntry entry : zip.stream().toList()) {
            EntryNames.requireSafe(entry.getName());
            if (entries.put(entry.getName(), entry.getSize()) != null) {
                throw new PackageException(ErrorCode.PACKAGE_DUPLICATE_ENTRY,
                        "entry '" + entry.getName() + "' appears twice in the zip's central directory");
            }
        }
        return entries;
    }

    private byte[] readSmall(ZipFile zip, String name, ErrorCode missing, String message)
            throws IOException, PackageException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new PackageException(missing, message);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return BoundedCopy.readAll(name, in, options.maxManifestBytes());
        }
    }

    private static ManifestSignature parseSignature(byte[] bytes) throws PackageException {
        try {
            ManifestSignature signature = ManifestJson.mapper().readValue(bytes, ManifestSignature.class);
            if (signature == null) {
                throw new PackageException(ErrorCode.PACKAGE_SIGNATURE_INVALID, "manifest.sig is empty");
            }
            return signature;
        } catch (JsonProcessingException e) {
            throw new PackageException(ErrorCode.PACKAGE_SIGNATURE_INVALID,
                    "manifest.sig is not a signature document: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PackageException(ErrorCode.PACKAGE_SIGNATURE_INVALID, "manifest.sig cannot be read: " + e.getMessage(), e);
        }
    }

    private void requireRunnableVariants(Manifest manifest) throws PackageException {
        if (manifest.variants().isEmpty()) {
            throw new PackageException(ErrorCode.PACKAGE_NO_COMPATIBLE_VARIANT, "the manifest lists no variants");
        }
        for (Variant variant : manifest.variants()) {
            if (selector.profilesFor(variant).isEmpty()) {
                throw new PackageException(ErrorCode.PACKAGE_NO_COMPATIBLE_VARIANT, "variant '" + variant.id()
                        + "' requires " + describe(variant.constraints()) + ", which no known device profile "
                        + KnownProfiles.ids() + " satisfies");
            }
        }
    }

    private static String describe(VariantConstraints c) {
        if (!c.profiles().isEmpty()) {
            return "profiles " + c.profiles();
        }
        return "arch " + (c.arch() == null ? "any" : c.arch()) + " with CPU features " + c.cpuFeatures();
    }

    /** Refuses unlisted entries from the central directory alone, before inflating any of them. */
    private void requireListed(Set<String> names, Manifest manifest) throws PackageException {
        Set<String> allowed = allowedNames(manifest);
        for (String name : names) {
            if (!allowed.contains(name)) {
                throw new PackageException(ErrorCode.PACKAGE_UNKNOWN_ENTRY,
                        "entry '" + name + "' is not listed in the manifest");
            }
        }
        long declaredTotal = 0;
        for (FileEntry file : manifest.files()) {
            declaredTotal += file.size();
            if (!names.contains(file.path())) {
                throw new PackageException(ErrorCode.PACKAGE_MISSING_ENTRY,
                        "the manifest lists '" + file.path() + "' but the package does not hold it");
            }
            if (file.path().equals(ReferenceSet.ENTRY) && file.size() > ReferenceSet.MAX_BYTES) {
                throw new PackageException(ErrorCode.PACKAGE_ENTRY_TOO_LARGE, "entry '" + file.path() + "' declares "
                        + file.size() + " bytes, more than the reference file limit of " + ReferenceSet.MAX_BYTES);
            }
            if (file.size() > options.maxEntryBytes()) {
                throw new PackageException(ErrorCode.PACKAGE_ENTRY_TOO_LARGE, "entry '" + file.path() + "' declares "
                        + file.size() + " bytes, more than the per-entry limit of " + options.maxEntryBytes());
            }
        }
        if (declaredTotal > options.maxTotalBytes()) {
            throw new PackageException(ErrorCode.PACKAGE_ENTRY_TOO_LARGE, "the manifest declares " + declaredTotal
                    + " bytes in all, more than the package's total size limit of " + options.maxTotalBytes());
        }
    }

    private static Set<String> allowedNames(Manifest manifest) {
        Set<String> allowed = new HashSet<>();
        allowed.add(EntryNames.MANIFEST);
        allowed.add(EntryNames.SIGNATURE);
        manifest.files().forEach(f -> allowed.add(f.path()));
        return allowed;
    }

    /**
     * Streams the local headers, which is what a streaming unzipper would see, and requires them
     * to name the same entries as the central directory: a zip whose two directories disagree can
     * show one reader different content than another.
     */
    private void scanLocalEntries(Path packageFile, Map<String, Long> central, Manifest manifest,
                                  byte[] manifestBytes, byte[] signatureBytes) throws PackageException {
        Map<String, FileEntry> listed = new HashMap<>();
        manifest.files().forEach(f -> listed.put(f.path(), f));
        Set<String> seen = new HashSet<>();
        long total = 0;
        try (InputStream raw = Files.newInputStream(packageFile); ZipInputStream zip = new ZipInputStream(raw)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                EntryNames.requireSafe(name);
                if (!seen.add(name)) {
                    throw new PackageException(ErrorCode.PACKAGE_DUPLICATE_ENTRY,
                            "entry '" + name + "' appears twice in the zip's local headers");
                }
                if (!central.containsKey(name)) {
                    throw new PackageException(ErrorCode.PACKAGE_UNKNOWN_ENTRY,
                            "entry '" + name + "' has a local header but no central directory record");
                }
                total += checkEntry(name, zip, listed.get(name), central.get(name), manifest, manifestBytes,
                        signatureBytes, total);
            }
        } catch (ZipException e) {
            throw new PackageException(ErrorCode.PACKAGE_UNREADABLE, packageFile + " has a damaged entry: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PackageException(ErrorCode.PACKAGE_UNREADABLE, "cannot read " + packageFile + ": " + e.getMessage(), e);
        }
        if (seen.size() != central.size()) {
            throw new PackageException(ErrorCode.PACKAGE_UNREADABLE, "the zip's local headers name " + seen.size()
                    + " entries but its central directory " + central.size());
        }
    }

    /** Checks one local entry and returns its inflated size. */
    private long checkEntry(String name, InputStream in, FileEntry file, long zipDeclaredSize, Manifest manifest,
                            byte[] manifestBytes, byte[] signatureBytes, long totalSoFar)
            throws IOException, PackageException {
        if (file == null) {
            // manifest.json or manifest.sig: already read through the central directory, and the
            // stream must show the very same bytes.
            byte[] expected = name.equals(EntryNames.MANIFEST) ? manifestBytes : signatureBytes;
            byte[] actual = BoundedCopy.readAll(name, in, options.maxManifestBytes());
            if (!Arrays.equals(expected, actual)) {
                throw new PackageException(ErrorCode.PACKAGE_SIGNATURE_INVALID, "entry '" + name
                        + "' differs between the zip's local header and its central directory");
            }
            return actual.length;
        }
        long remaining = options.maxTotalBytes() - totalSoFar;
        long limit = Math.min(file.size(), Math.min(options.maxEntryBytes(), remaining));
        String reason = limit == file.size() ? "its declared size in the manifest"
                : limit == options.maxEntryBytes() ? "the per-entry limit" : "the package's total size limit";
        if (zipDeclaredSize >= 0 && zipDeclaredSize < limit) {
            // The zip's own header declares less: inflating past it is the classic zip-bomb lie.
            limit = zipDeclaredSize;
            reason = "the size its zip header declares";
        }
        // The reference set is small (its declared size was bounded above) and read whole, so that
        // a signed but malformed one refuses the package here rather than on the device later.
        ByteArrayOutputStream reference = name.equals(ReferenceSet.ENTRY) ? new ByteArrayOutputStream() : null;
        BoundedCopy.Result result;
        try {
            result = BoundedCopy.copy(name, in, reference, limit, reason);
        } catch (ZipException e) {
            // Damaged deflate data or a CRC failure: the bytes are not the ones that were signed.
            throw new PackageException(ErrorCode.PACKAGE_HASH_MISMATCH, "entry '" + name
                    + "' cannot be inflated to the signed content: " + e.getMessage(), e);
        }
        if (result.size() != file.size()) {
            throw new PackageException(ErrorCode.PACKAGE_HASH_MISMATCH, "entry '" + name + "' has " + result.size()
                    + " bytes but the manifest declares " + file.size());
        }
        if (!result.sha256().equals(file.sha256())) {
            throw new PackageException(ErrorCode.PACKAGE_HASH_MISMATCH, "entry '" + name + "' has sha256 "
                    + result.sha256() + " but the manifest declares " + file.sha256());
        }
        if (reference != null) {
            ReferenceSet.parse(reference.toByteArray()).requireFits(manifest);
        }
        return result.size();
    }
}
