package io.edgeloop.packageformat.sign;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Checks a {@code manifest.sig} against the manifest bytes and a trusted public key. A different
 * key id means another signer ({@code PACKAGE_KEY_MISMATCH}); a matching id with a failing
 * signature means the bytes changed ({@code PACKAGE_SIGNATURE_INVALID}).
 */
public final class SignatureVerifier {
    private final PublicKey trusted;
    private final String keyId;

    public SignatureVerifier(PublicKey trusted) {
        this.trusted = trusted;
        this.keyId = KeyIds.of(trusted);
    }

    public void verify(byte[] manifestBytes, ManifestSignature signature) throws EdgeLoopException {
        if (!ManifestSignature.ED25519.equals(signature.algorithm())) {
            throw new EdgeLoopException(ErrorCode.PACKAGE_SIGNATURE_INVALID,
                    "manifest.sig uses algorithm '" + signature.algorithm() + "'; only Ed25519 is accepted");
        }
        if (!keyId.equals(signature.keyId())) {
            throw new EdgeLoopException(ErrorCode.PACKAGE_KEY_MISMATCH, "manifest.sig was made by key "
                    + signature.keyId() + ", not by the trusted key " + keyId);
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(signature.signature());
        } catch (IllegalArgumentException e) {
            throw new EdgeLoopException(ErrorCode.PACKAGE_SIGNATURE_INVALID, "manifest.sig's signature is not base64", e);
        }
        boolean valid;
        try {
            valid = rawVerify(trusted, manifestBytes, raw);
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw new EdgeLoopException(ErrorCode.PACKAGE_SIGNATURE_INVALID,
                    "manifest.json does not match the signature in manifest.sig (key " + keyId + ")");
        }
    }

    public String keyId() {
        return keyId;
    }

    static boolean rawVerify(PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException {
        Signature verifier = Signature.getInstance(ManifestSignature.ED25519);
        verifier.initVerify(key);
        verifier.update(data);
        return verifier.verify(signature);
    }
}
