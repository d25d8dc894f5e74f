package io.edgeloop.packageformat;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The digest every file entry of a package is checked with, for code that computes the entries. */
public final class Sha256 {
    private Sha256() {
    }

    /** A fresh SHA-256 digest; every JDK has one, so its absence is a broken runtime, not a user error. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
