package io.edgeloop.agent.jobs;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The publisher keys a job's package must be signed by: the agent's own {@code --pubkey} when it
 * has one, else those the fleet server handed it at enrolment. Read when a job verifies, so a key
 * configured later counts.
 */
@FunctionalInterface
public interface TrustedKeys {
    List<PublicKey> load() throws EdgeLoopException;

    /** Ed25519 keys from their base64 X.509 (SubjectPublicKeyInfo DER) text. */
    static List<PublicKey> decode(List<String> encoded) throws EdgeLoopException {
        List<PublicKey> keys = new ArrayList<>();
        for (String text : encoded) {
            try {
                keys.add(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                        Base64.getDecoder().decode(text.strip()))));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new EdgeLoopException(ErrorCode.PACKAGE_KEY_MISSING, "a publisher key from enrolment is not an"
                        + " Ed25519 public key: " + e.getMessage(), e);
            }
        }
        return keys;
    }
}
