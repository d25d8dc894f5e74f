package io.edgeloop.packager.data;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * Replaces a value of a {@link PiiRule#HASH} column. {@link #hmac} is the keyed HMAC-SHA256 in
 * lower-case hex: the same key gives the same hash for the same value in every dataset, and
 * without the key a dictionary of likely values (e-mail addresses, ids) cannot be hashed to find
 * them. {@link #ALREADY_HASHED} reads data whose hashing was applied when it was stored.
 */
@FunctionalInterface
public interface PiiHasher {
    String hash(String value);

    /** For data stored after its rules were applied: values pass unchanged. */
    PiiHasher ALREADY_HASHED = value -> value;

    /** HMAC-SHA256 under {@code key} (at least 32 bytes). A missing value stays empty. */
    static PiiHasher hmac(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("a PII hashing key needs at least 32 bytes, not " + key.length);
        }
        SecretKeySpec spec = new SecretKeySpec(key.clone(), "HmacSHA256");
        return value -> {
            if (value.isEmpty()) {
                return value;
            }
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(spec);
                return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JVM lacks HmacSHA256", e);
            }
        };
    }
}
