package io.edgeloop.packageformat;

import io.edgeloop.protocol.ErrorCode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Reads an entry's inflated bytes while counting and hashing them, and stops as soon as the count
 * passes the limit. Declared zip sizes are never trusted: only bytes actually read count, so a
 * zip bomb costs at most {@code limit + 1} inflated bytes.
 */
final class BoundedCopy {
    private static final int BUFFER = 64 * 1024;

    /** What was read: the exact byte count and its sha256 in lower-case hex. */
    record Result(long size, String sha256) {
    }

    private BoundedCopy() {
    }

    /**
     * Copies {@code in} to {@code out} (which may be null to only hash).
     *
     * @param limit  the most bytes the entry may have
     * @param reason what the limit is, for the error ("its declared size", "the entry limit")
     */
    static Result copy(String entry, InputStream in, OutputStream out, long limit, String reason)
            throws IOException, PackageException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        int n;
        // Ask for at most one byte past the limit: enough to detect the overrun, never more.
        while ((n = in.read(buffer, 0, limit - total >= buffer.length ? buffer.length : (int) (limit - total) + 1)) > 0) {
            total += n;
            if (total > limit) {
                throw new PackageException(ErrorCode.PACKAGE_ENTRY_TOO_LARGE, "entry '" + EntryNames.printable(entry)
                        + "' inflates beyond " + limit + " bytes, " + reason);
            }
            digest.update(buffer, 0, n);
            if (out != null) {
                out.write(buffer, 0, n);
            }
        }
        return new Result(total, HexFormat.of().formatHex(digest.digest()));
    }

    /** Reads a small entry (manifest, signature) fully into memory, bounded. */
    static byte[] readAll(String entry, InputStream in, long limit) throws IOException, PackageException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy(entry, in, out, limit, "the manifest size limit");
        return out.toByteArray();
    }

    static MessageDigest sha256() {
        return Sha256.newDigest();
    }
}
