package io.edgeloop.packager.data;

import java.util.Locale;

/**
 * What happens to a column holding personal data before anything is stored or derived from it.
 * {@link #DROP}: the column is removed. {@link #HASH}: each value is replaced by its keyed
 * HMAC-SHA256 ({@link PiiHasher}), so equal values still join and group, but a value cannot be
 * recovered by hashing guesses without the key. A hashed column is an identifier, never a feature
 * (a hash has no order or magnitude); it may be the {@code group} of per-group metrics.
 */
public enum PiiRule {
    DROP, HASH;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
