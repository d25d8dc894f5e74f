package io.edgeloop.server.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random secrets and their digests: API tokens, enrolment tokens, passwords. */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** {@code bytes} random bytes as URL-safe base64 without padding, after {@code prefix}. */
    public static String random(String prefix, int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    public static String randomHex(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }

    public static byte[] randomBytes(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return raw;
    }

    /** Hex sha256 of the text's UTF-8 bytes; a 32-byte random token needs no slow hash. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
