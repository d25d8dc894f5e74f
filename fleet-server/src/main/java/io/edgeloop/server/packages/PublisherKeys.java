package io.edgeloop.server.packages;

import io.edgeloop.packageformat.PackageException;
import io.edgeloop.packageformat.PackageVerifier;
import io.edgeloop.packageformat.VerifiedPackage;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The publisher keys the server trusts ({@code --trusted-key FILE.pub}, repeatable). A package
 * is accepted when the package-format verifier passes it with one of them; a package signed by
 * none is PACKAGE_KEY_MISMATCH, any other failed check keeps the verifier's own code.
 */
public final class PublisherKeys {
    private final List<PublicKey> keys;
    private final PackageVerifier verifier;

    public PublisherKeys(List<PublicKey> keys, PackageVerifier verifier) {
        this.keys = List.copyOf(keys);
        this.verifier = verifier;
    }

    public static PublisherKeys load(List<Path> files) throws EdgeLoopException {
        List<PublicKey> keys = new ArrayList<>();
        for (Path f : files) {
            keys.add(KeyPairFiles.loadPublic(f));
        }
        return new PublisherKeys(keys, new PackageVerifier(PackageVerifier.Options.DEFAULTS));
    }

    /** These keys and {@code key} (the server's own signing key), which is not added twice. */
    public PublisherKeys with(PublicKey key) {
        for (PublicKey k : keys) {
            if (java.util.Arrays.equals(k.getEncoded(), key.getEncoded())) {
                return this;
            }
        }
        List<PublicKey> all = new ArrayList<>(keys);
        all.add(key);
        return new PublisherKeys(all, verifier);
    }

    public int size() {
        return keys.size();
    }

    /**
     * The trusted keys as base64 X.509 (SubjectPublicKeyInfo DER): what enrolment hands a device,
     * so it verifies the packages its jobs download with the keys this server accepts uploads by.
     */
    public List<String> encoded() {
        return keys.stream().map(k -> java.util.Base64.getEncoder().encodeToString(k.getEncoded())).toList();
    }

    public VerifiedPackage verify(Path file) throws EdgeLoopException {
        if (keys.isEmpty()) {
            throw new EdgeLoopException(ErrorCode.PACKAGE_KEY_MISMATCH,
                    "the server trusts no publisher key; start it with --trusted-key FILE.pub");
        }
        PackageException mismatch = null;
        for (PublicKey key : keys) {
            try {
                return verifier.verify(file, key);
            } catch (PackageException e) {
                if (e.code() != ErrorCode.PACKAGE_KEY_MISMATCH) {
                    throw e;
                }
                mismatch = e;
            }
        }
        throw new EdgeLoopException(ErrorCode.PACKAGE_KEY_MISMATCH, "the package is not signed by any of the "
                + keys.size() + " trusted publisher keys (" + mismatch.getMessage() + ")", mismatch);
    }
}
