package io.edgeloop.agent.api;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over JSON bytes for {@link InferRequestFastPath}: punctuation, plain strings, and
 * numbers converted exactly. Anything it does not take throws {@link Fallback}, which tells the
 * caller to leave the body to the full parser.
 */
final class JsonBytes {
    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private final byte[] b;
    private int pos;

    JsonBytes(byte[] bytes) {
        this.b = bytes;
    }

    int position() {
        return pos;
    }

    void seek(int position) {
        pos = position;
    }

    /** The byte at the cursor (after skipping whitespace, when the caller did). */
    byte peek() {
        return b[pos];
    }

    /** Takes the byte at the cursor. */
    byte next() {
        return b[pos++];
    }

    /** Whether only whitespace is left. */
    boolean atEnd() {
        skipWhitespace();
        return pos == b.length;
    }

    /** Thrown to abandon the fast path; carries no stack trace. */
    static final class Fallback extends RuntimeException {
        static final Fallback INSTANCE = new Fallback();

        private Fallback() {
            super(null, null, false, false);
        }
    }

    static Fallback fallback() {
        return Fallback.INSTANCE;
    }

    boolean literal() {
        if (matches("true")) {
            return true;
        }
        if (matches("false")) {
            return false;
        }
        throw fallback();
    }

    private boolean matches(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (b[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += word.length();
        return true;
    }

    /** A JSON integer (no fraction, no exponent) within [min, max]; 18 digits at most. */
    long integer(long min, long max) {
        boolean negative = b[pos] == '-';
        if (negative) {
            pos++;
        }
        int start = pos;
        long v = 0;
        while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
            v = v * 10 + (b[pos++] - '0');
        }
        int digits = pos - start;
        if (digits == 0 || digits > 18 || (digits > 1 && b[start] == '0')) {
            throw fallback();
        }
        if (pos < b.length && (b[pos] == '.' || b[pos] == 'e' || b[pos] == 'E')) {
            throw fallback();
        }
        v = negative ? -v : v;
        if (v < min || v > max) {
            throw fallback();
        }
        return v;
    }

    /**
     * A JSON number, as a float ({@code asFloat}) or a double, rounded exactly as Java's parsers
     * round; numbers the exact fast conversion cannot take fall back. Works on locals: this loop
     * runs for every tensor element.
     */
    double number(boolean asFloat) {
        final byte[] buf = b;
        int p = pos;
        boolean negative = buf[p] == '-';
        if (negative) {
            p++;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        int start = p;
        byte c;
        while (p < buf.length && (c = buf[p]) >= '0' && c <= '9') {
            mantissa = mantissa * 10 + (c - '0');
            digits += mantissa == 0 ? 0 : 1; // leading zeros are not significant
            p++;
        }
        if (p == start || (p - start > 1 && buf[start] == '0')) {
            throw fallback();
        }
        if (p < buf.length && buf[p] == '.') {
            int fraction = ++p;
            while (p < buf.length && (c = buf[p]) >= '0' && c <= '9') {
                mantissa = mantissa * 10 + (c - '0');
                digits += mantissa == 0 ? 0 : 1;
                p++;
            }
            if (p == fraction) {
                throw fallback();
            }
            scale = p - fraction;
        }
        int exponent = 0;
        boolean integral = scale == 0;
        if (p < buf.length && (buf[p] == 'e' || buf[p] == 'E')) {
            integral = false;
            p++;
            boolean minus = buf[p] == '-';
            if (minus || buf[p] == '+') {
                p++;
            }
            int expStart = p;
            while (p < buf.length && (c = buf[p]) >= '0' && c <= '9' && p - expStart < 4) {
                exponent = exponent * 10 + (c - '0');
                p++;
            }
            if (p == expStart || (p < buf.length && buf[p] >= '0' && buf[p] <= '9')) {
                throw fallback();
            }
            exponent = minus ? -exponent : exponent;
        }
        pos = p;
        // 15 significant digits keep the mantissa exact in a double (< 2^53).
        if (digits > 15) {
            throw fallback();
        }
        if (mantissa == 0) {
            // "-0" is an integer token, which Jackson converts to +0.0; "-0.0" stays negative.
            return negative && !integral ? -0.0 : 0.0;
        }
        double value = exact(mantissa, exponent - scale);
        if (asFloat) {
            value = toFloat(value);
        }
        return negative ? -value : value;
    }

    /** {@code m * 10^e} correctly rounded: exact for m < 2^53 and |e| <= 22 (one rounding, Clinger's fast path). */
    private static double exact(long m, int e) {
        if (m == 0) {
            return 0;
        }
        if (e >= 0 && e < POWERS_OF_TEN.length) {
            return m * POWERS_OF_TEN[e];
        }
        if (e < 0 && -e < POWERS_OF_TEN.length) {
            return m / POWERS_OF_TEN[-e];
        }
        throw fallback();
    }

    /**
     * Rounds a correctly rounded double to float. Rounding twice can differ from rounding the
     * decimal once only when the double lies exactly halfway between two floats (the midpoint
     * is itself a double, so any other double is on the same side of it as the decimal); those,
     * and results outside the normal float range, fall back.
     */
    static double toFloat(double d) {
        double magnitude = Math.abs(d);
        if (magnitude != 0 && (magnitude < Float.MIN_NORMAL || magnitude > Float.MAX_VALUE)) {
            throw fallback();
        }
        long dropped = Double.doubleToRawLongBits(d) & ((1L << 29) - 1);
        if (dropped == 1L << 28) {
            throw fallback();
        }
        return (float) d;
    }

    /** A string without escapes or control characters; anything else falls back. */
    String string() {
        skipWhitespace();
        if (b[pos] != '"') {
            throw fallback();
        }
        int start = ++pos;
        while (true) {
            byte c = b[pos];
            if (c == '"') {
                break;
            }
            if (c == '\\' || (c >= 0 && c < 0x20)) {
                throw fallback();
            }
            pos++;
        }
        String s = new String(b, start, pos - start, StandardCharsets.UTF_8);
        pos++;
        if (s.indexOf('\uFFFD') >= 0) {
            throw fallback(); // malformed UTF-8: the full parser names it
        }
        return s;
    }

    /** Skips a bracketed array of numbers (nested allowed) without reading the values. */
    void skipArray() {
        if (b[pos] != '[') {
            throw fallback();
        }
        int depth = 0;
        do {
            byte c = b[pos++];
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == '"' || c == '{' || c == '}') {
                throw fallback();
            }
        } while (depth > 0);
    }

    void expect(char c) {
        skipWhitespace();
        if (b[pos] != c) {
            throw fallback();
        }
        pos++;
    }

    boolean tryConsume(char c) {
        skipWhitespace();
        if (pos < b.length && b[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    void skipWhitespace() {
        final byte[] buf = b;
        int p = pos;
        while (p < buf.length) {
            byte c = buf[p];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            p++;
        }
        pos = p;
    }
}
