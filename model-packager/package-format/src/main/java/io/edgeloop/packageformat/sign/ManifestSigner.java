package io.edgeloop.packageformat.sign;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/** Signs manifest bytes with an Ed25519 key pair (the JDK's EdDSA provider). */
public final class ManifestSigner {
    private final KeyPair keys;
    private final String keyId;

    public ManifestSigner(KeyPair keys) {
        this.keys = keys;
        this.keyId = KeyIds.of(keys.getPublic());
    }

    /** The signature to store as {@code manifest.sig} for exactly these bytes. */
    public ManifestSignature sign(byte[] manifestBytes) {
        try {
            byte[] signature = rawSign(keys.getPrivate(), manifestBytes);
            return new ManifestSignature(ManifestSignature.ED25519, keyId, Base64.getEncoder().encodeToString(signature));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    public String keyId() {
        return keyId;
    }

    static byte[] rawSign(PrivateKey key, byte[] data) throws GeneralSecurityException {
        Signature signer = Signature.getInstance(ManifestSignature.ED25519);
        signer.initSign(key);
        signer.update(data);
        return signer.sign();
    }
}
