package io.edgeloop.packageformat.sign;

import java.util.Objects;

/**
 * The content of {@code manifest.sig}. The key id lets a verifier tell "signed by another key"
 * apart from "manifest changed after signing".
 *
 * @param algorithm always {@code Ed25519} in format version 1
 * @param keyId     first 16 hex digits of the sha256 of the signer's X.509-encoded public key
 * @param signature base64 Ed25519 signature over the manifest's canonical bytes
 */
public record ManifestSignature(String algorithm, String keyId, String signature) {
    public static final String ED25519 = "Ed25519";

    public ManifestSignature {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(signature, "signature");
    }
}
