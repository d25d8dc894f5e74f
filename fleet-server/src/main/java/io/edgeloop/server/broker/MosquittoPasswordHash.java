package io.edgeloop.server.broker;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mosquitto's {@code $7$} password hash: {@code $7$<iterations>$<base64 salt>$<base64 hash>},
 * PBKDF2-HMAC-SHA512 with a 64-byte result, as {@code mosquitto_passwd} writes it. The bytes of
 * the password are used as given (MQTT passwords are binary), so no charset choice intervenes.
 */
public final class MosquittoPasswordHash {
    /** {@code mosquitto_passwd}'s iteration count. */
    public static final int DEFAULT_ITERATIONS = 101;
    private static final int SALT_BYTES = 12;
    private static final int HASH_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private MosquittoPasswordHash() {
    }

    /** A new hash of {@code password} with a random salt. */
    public static String hash(byte[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return format(DEFAULT_ITERATIONS, salt, pbkdf2(password, salt, DEFAULT_ITERATIONS));
    }

    /** Whether {@code password} matches {@code stored}; false for anything not a well-formed {@code $7$} hash. */
    public static boolean verify(String stored, byte[] password) {
        if (stored == null || password == null) {
            return false;
        }
        String[] parts = stored.split("\\$", -1);
        if (parts.length != 5 || !parts[0].isEmpty() || !parts[1].equals("7")) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[2]);
            if (iterations < 1 || iterations > 10_000_000) {
                return false;
            }
            byte[] salt = Base64.getDecoder().decode(parts[3]);
            byte[] expected = Base64.getDecoder().decode(parts[4]);
            return MessageDigest.isEqual(expected, pbkdf2(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String format(int iterations, byte[] salt, byte[] hash) {
        Base64.Encoder b64 = Base64.getEncoder();
        return "$7$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** PBKDF2 with HMAC-SHA512; one block, as the output is the HMAC's length. */
    private static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            // An empty key is legal for HMAC but not for SecretKeySpec; one zero byte is the same HMAC key.
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA512"));
            mac.update(salt);
            mac.update(ByteBuffer.allocate(4).putInt(1).array());
            byte[] u = mac.doFinal();
            byte[] out = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < HASH_BYTES; j++) {
                    out[j] ^= u[j];
                }
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 is part of every JDK", e);
        }
    }
}
