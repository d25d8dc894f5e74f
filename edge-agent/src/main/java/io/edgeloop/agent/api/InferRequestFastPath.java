package io.edgeloop.agent.api;

import io.edgeloop.agent.engine.DataType;
import io.edgeloop.agent.engine.Tensor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the common shape of a KServe v2 infer request straight from its bytes: plain strings,
 * numeric tensors (FP32, FP64, INT8/16/32/64, UINT8), optional {@code id}, {@code outputs} by
 * name and the {@code capture} parameter. Tensor data is most of every request, and
 * a token-by-token JSON parser spends several times the inference itself on it.
 *
 * <p>It accepts only what {@link InferRequestParser}'s Jackson path accepts, with bit-identical
 * values, and answers {@code null} for anything else (escapes, other parameters, other types,
 * any error): that path then parses the request and names what is wrong. Floats are converted
 * exactly (see {@link #toFloat}).
 */
final class InferRequestFastPath {
    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private final long maxElements;
    private byte[] b;
    private int pos;

    InferRequestFastPath(long maxElements) {
        this.maxElements = maxElements;
    }

    /** The request, or null when the fast path does not handle this body. Not thread-safe: one per parse. */
    InferRequest tryParse(byte[] body) {
        b = body;
        pos = 0;
        try {
            return request();
        } catch (Fallback | ArrayIndexOutOfBoundsException e) {
            return null;
        } finally {
            b = null;
        }
    }

    /** Thrown to abandon the fast path; carries no stack trace. */
    private static final class Fallback extends RuntimeException {
        static final Fallback INSTANCE = new Fallback();

        private Fallback() {
            super(null, null, false, false);
        }
    }

    private static Fallback fallback() {
        return Fallback.INSTANCE;
    }

    private InferRequest request() {
        expect('{');
        String id = null;
        List<Tensor> inputs = null;
        List<String> outputs = null;
        Boolean capture = null;
        if (!tryConsume('}')) {
            do {
                String key = string();
                expect(':');
                switch (key) {
                    case "id" -> id = once(id, string());
                    case "inputs" -> inputs = once(inputs, inputs());
                    case "outputs" -> outputs = once(outputs, outputs());
                    case "parameters" -> capture = once(capture, parameters());
                    default -> throw fallback();
                }
            } while (tryConsume(','));
            expect('}');
        }
        skipWhitespace();
        if (pos != b.length || inputs == null || inputs.isEmpty()) {
            throw fallback();
        }
        return new InferRequest(id, inputs, outputs == null ? List.of() : outputs, capture != null && capture);
    }

    private static <T> T once(T previous, T value) {
        if (previous != null) {
            throw fallback(); // duplicate key
        }
        return value;
    }

    private List<Tensor> inputs() {
        expect('[');
        List<Tensor> tensors = new ArrayList<>(2);
        do {
            if (tensors.size() == InferRequestParser.MAX_INPUTS) {
                throw fallback();
            }
            tensors.add(tensor());
        } while (tryConsume(','));
        expect(']');
        return tensors;
    }

    private Tensor tensor() {
        expect('{');
        String name = null;
        DataType type = null;
        long[] shape = null;
        int data = -1;
        do {
            String key = string();
            expect(':');
            switch (key) {
                case "name" -> name = once(name, string());
                case "datatype" -> type = once(type, dataType(string()));
                case "shape" -> shape = once(shape, shape());
                case "data" -> {
                    if (data >= 0) {
                        throw fallback();
                    }
                    skipWhitespace();
                    data = pos;
                    skipArray();
                }
                default -> throw fallback();
            }
        } while (tryConsume(','));
        expect('}');
        if (name == null || type == null || shape == null || data < 0) {
            throw fallback();
        }
        long n = 1;
        for (long d : shape) {
            n *= d;
            if (n == 0 || n > maxElements) {
                throw fallback(); // empty or too large: the full parser says which
            }
        }
        int end = pos;
        pos = data;
        Object values = values(type, (int) n);
        pos = end;
        return new Tensor(name, type, shape, values);
    }

    private static DataType dataType(String text) {
        DataType type = DataType.parse(text);
        if (type == null || type == DataType.BOOL || type == DataType.BYTES) {
            throw fallback();
        }
        return type;
    }

    private long[] shape() {
        expect('[');
        long[] dims = new long[InferRequestParser.MAX_RANK];
        int rank = 0;
        if (!tryConsume(']')) {
            do {
                if (rank == dims.length) {
                    throw fallback();
                }
                skipWhitespace();
                dims[rank++] = integer(0, Integer.MAX_VALUE);
            } while (tryConsume(','));
            expect(']');
        }
        return Arrays.copyOf(dims, rank);
    }

    private List<String> outputs() {
        expect('[');
        List<String> names = new ArrayList<>();
        if (!tryConsume(']')) {
            do {
                expect('{');
                if (!string().equals("name")) {
                    throw fallback();
                }
                expect(':');
                names.add(string());
                expect('}');
            } while (tryConsume(','));
            expect(']');
        }
        return names;
    }

    private Boolean parameters() {
        expect('{');
        Boolean capture = null;
        if (!tryConsume('}')) {
            do {
                if (!string().equals("capture") || capture != null) {
                    throw fallback();
                }
                expect(':');
                skipWhitespace();
                capture = literal();
            } while (tryConsume(','));
            expect('}');
        }
        return capture != null && capture;
    }

    private boolean literal() {
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

    /** The values of a (possibly nested) array of numbers at {@code pos}, row-major, exactly {@code n} of them. */
    private Object values(DataType type, int n) {
        Object out = type.newArray(n);
        int count = 0;
        int depth = 0;
        skipWhitespace();
        if (b[pos] != '[') {
            throw fallback(); // a lone scalar: left to the full parser
        }
        while (true) {
            skipWhitespace();
            byte c = b[pos];
            if (c == '[') {
                depth++;
                pos++;
                continue;
            }
            if (c == ']') {
                throw fallback(); // an empty array
            }
            if (count == n) {
                throw fallback();
            }
            store(type, out, count++);
            skipWhitespace();
            while (b[pos] == ']') {
                pos++;
                if (--depth == 0) {
                    if (count != n) {
                        throw fallback();
                    }
                    return out;
                }
                skipWhitespace();
            }
            if (b[pos++] != ',') {
                throw fallback();
            }
        }
    }

    private void store(DataType type, Object out, int i) {
        switch (type) {
            case FP32 -> ((float[]) out)[i] = (float) number(true);
            case FP64 -> ((double[]) out)[i] = number(false);
            case INT8 -> ((byte[]) out)[i] = (byte) integer(Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT8 -> ((byte[]) out)[i] = (byte) integer(0, 255);
            case INT16 -> ((short[]) out)[i] = (short) integer(Short.MIN_VALUE, Short.MAX_VALUE);
            case INT32 -> ((int[]) out)[i] = (int) integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT64 -> ((long[]) out)[i] = integer(-Long.MAX_VALUE, Long.MAX_VALUE);
            default -> throw fallback();
        }
    }

    /** A JSON integer (no fraction, no exponent) within [min, max]; 18 digits at most. */
    private long integer(long min, long max) {
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
    private double number(boolean asFloat) {
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
    private String string() {
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
    private void skipArray() {
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

    private void expect(char c) {
        skipWhitespace();
        if (b[pos] != c) {
            throw fallback();
        }
        pos++;
    }

    private boolean tryConsume(char c) {
        skipWhitespace();
        if (pos < b.length && b[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
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
