package io.edgeloop.server.packages;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

/**
 * One byte range of a {@code Range: bytes=…} header (RFC 9110): {@code a-b}, {@code a-} or the
 * suffix {@code -n}. Several ranges are answered as the whole file (allowed by the RFC), which is
 * all a resuming download needs.
 */
public record ByteRange(long start, long endInclusive) {
    public long length() {
        return endInclusive - start + 1;
    }

    /** The range to send, or null for the whole file (no or multiple ranges). */
    public static ByteRange parse(String header, long size) throws EdgeLoopException {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.strip();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring("bytes=".length()).strip();
        int dash = spec.indexOf('-');
        try {
            if (dash < 0) {
                throw new NumberFormatException(spec);
            }
            String a = spec.substring(0, dash).strip();
            String b = spec.substring(dash + 1).strip();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    throw unsatisfiable(header, size);
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long start = Long.parseLong(a);
            long end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (start < 0 || start >= size || end < start) {
                throw unsatisfiable(header, size);
            }
            return new ByteRange(start, end);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static EdgeLoopException unsatisfiable(String header, long size) {
        return new EdgeLoopException(ErrorCode.RANGE_NOT_SATISFIABLE, "the range '" + header
                + "' lies outside the package's " + size + " bytes");
    }
}
