package io.edgeloop.server.devices;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Password hashes in Mosquitto's own {@code $7$} format, {@code $7$<iterations>$<base64 salt>$<base64
 * hash>}: PBKDF2-HMAC-SHA512 over the raw password bytes with a 12-byte salt and a 64-byte
 * result, as {@code mosquitto_passwd} (2.0) writes it. So one stored hash checks logins in the
 * embedded broker and goes verbatim into a Mosquitto password file. PBKDF2 is done here over
 * bytes because the JDK's key factory takes chars and would re-encode a binary password.
 */
public final class MosquittoPasswordHash {
    /** mosquitto_passwd's default iteration count for $7$. */
    public static final int DEFAULT_ITERATIONS = 101;
    private static final int SALT_BYTES = 12;
    private static final int HASH_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private MosquittoPasswordHash() {
    }

    public static String hash(byte[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return format(DEFAULT_ITERATIONS, salt, pbkdf2(password, salt, DEFAULT_ITERATIONS, HASH_BYTES));
    }

    public static String hash(String password) {
        return hash(password.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code password} matches {@code stored}; false for anything not a $7$ hash. */
    public static boolean verify(String stored, byte[] password) {
        if (stored == null || !stored.startsWith("$7$")) {
            return false;
        }
        String[] parts = stored.split("\\$");
        // "", "7", iterations, salt, hash
        if (parts.length != 5) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[2]);
            if (iterations < 1 || iterations > 10_000_000) {
                return false;
            }
            byte[] salt = Base64.getDecoder().decode(parts[3]);
            byte[] expected = Base64.getDecoder().decode(parts[4]);
            if (expected.length == 0) {
                return false;
            }
            return MessageDigest.isEqual(expected, pbkdf2(password, salt, iterations, expected.length));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String format(int iterations, byte[] salt, byte[] hash) {
        Base64.Encoder b64 = Base64.getEncoder();
        return "$7$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** RFC 8018 PBKDF2 with HMAC-SHA512. */
    static byte[] pbkdf2(byte[] password, byte[] salt, int iterations, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            // SecretKeySpec refuses an empty key; HMAC zero-pads keys to its block, so 128 zero bytes equal it.
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[128] : password, "HmacSHA512"));
            int blockLength = mac.getMacLength();
            byte[] out = new byte[length];
            int blocks = (length + blockLength - 1) / blockLength;
            for (int block = 1; block <= blocks; block++) {
                mac.update(salt);
                mac.update(new byte[]{(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
                byte[] u = mac.doFinal();
                byte[] t = u.clone();
                for (int i = 1; i < iterations; i++) {
                    u = mac.doFinal(u);
                    for (int k = 0; k < t.length; k++) {
                        t[k] ^= u[k];
                    }
                }
                int offset = (block - 1) * blockLength;
                System.arraycopy(t, 0, out, offset, Math.min(blockLength, length - offset));
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA512", e);
        }
    }
}
