package io.edgeloop.agent.api;

import io.edgeloop.agent.engine.DataType;
import io.edgeloop.agent.engine.Tensor;

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
 * exactly (see {@link JsonBytes#toFloat}).
 */
final class InferRequestFastPath {
    private final long maxElements;
    private JsonBytes in;

    InferRequestFastPath(long maxElements) {
        this.maxElements = maxElements;
    }

    /** The request, or null when the fast path does not handle this body. Not thread-safe: one per parse. */
    InferRequest tryParse(byte[] body) {
        in = new JsonBytes(body);
        try {
            return request();
        } catch (JsonBytes.Fallback | ArrayIndexOutOfBoundsException e) {
            return null;
        } finally {
            in = null;
        }
    }

    private InferRequest request() {
        in.expect('{');
        String id = null;
        List<Tensor> inputs = null;
        List<String> outputs = null;
        Boolean capture = null;
        if (!in.tryConsume('}')) {
            do {
                String key = in.string();
                in.expect(':');
                switch (key) {
                    case "id" -> id = once(id, in.string());
                    case "inputs" -> inputs = once(inputs, inputs());
                    case "outputs" -> outputs = once(outputs, outputs());
                    case "parameters" -> capture = once(capture, parameters());
                    default -> throw JsonBytes.fallback();
                }
            } while (in.tryConsume(','));
            in.expect('}');
        }
        if (!in.atEnd() || inputs == null || inputs.isEmpty()) {
            throw JsonBytes.fallback();
        }
        return new InferRequest(id, inputs, outputs == null ? List.of() : outputs, capture != null && capture);
    }

    private static <T> T once(T previous, T value) {
        if (previous != null) {
            throw JsonBytes.fallback(); // duplicate key
        }
        return value;
    }

    private List<Tensor> inputs() {
        in.expect('[');
        List<Tensor> tensors = new ArrayList<>(2);
        do {
            if (tensors.size() == InferRequestParser.MAX_INPUTS) {
                throw JsonBytes.fallback();
            }
            tensors.add(tensor());
        } while (in.tryConsume(','));
        in.expect(']');
        return tensors;
    }

    private Tensor tensor() {
        in.expect('{');
        String name = null;
        DataType type = null;
        long[] shape = null;
        int data = -1;
        do {
            String key = in.string();
            in.expect(':');
            switch (key) {
                case "name" -> name = once(name, in.string());
                case "datatype" -> type = once(type, dataType(in.string()));
                case "shape" -> shape = once(shape, shape());
                case "data" -> {
                    if (data >= 0) {
                        throw JsonBytes.fallback();
                    }
                    in.skipWhitespace();
                    data = in.position();
                    in.skipArray();
                }
                default -> throw JsonBytes.fallback();
            }
        } while (in.tryConsume(','));
        in.expect('}');
        if (name == null || type == null || shape == null || data < 0) {
            throw JsonBytes.fallback();
        }
        long n = 1;
        for (long d : shape) {
            n *= d;
            if (n == 0 || n > maxElements) {
                throw JsonBytes.fallback(); // empty or too large: the full parser says which
            }
        }
        int end = in.position();
        in.seek(data);
        Object values = values(type, (int) n);
        in.seek(end);
        return new Tensor(name, type, shape, values);
    }

    private static DataType dataType(String text) {
        DataType type = DataType.parse(text);
        if (type == null || type == DataType.BOOL || type == DataType.BYTES) {
            throw JsonBytes.fallback();
        }
        return type;
    }

    private long[] shape() {
        in.expect('[');
        long[] dims = new long[InferRequestParser.MAX_RANK];
        int rank = 0;
        if (!in.tryConsume(']')) {
            do {
                if (rank == dims.length) {
                    throw JsonBytes.fallback();
                }
                in.skipWhitespace();
                dims[rank++] = in.integer(0, Integer.MAX_VALUE);
            } while (in.tryConsume(','));
            in.expect(']');
        }
        return Arrays.copyOf(dims, rank);
    }

    private List<String> outputs() {
        in.expect('[');
        List<String> names = new ArrayList<>();
        if (!in.tryConsume(']')) {
            do {
                in.expect('{');
                if (!in.string().equals("name")) {
                    throw JsonBytes.fallback();
                }
                in.expect(':');
                names.add(in.string());
                in.expect('}');
            } while (in.tryConsume(','));
            in.expect(']');
        }
        return names;
    }

    private Boolean parameters() {
        in.expect('{');
        Boolean capture = null;
        if (!in.tryConsume('}')) {
            do {
                if (!in.string().equals("capture") || capture != null) {
                    throw JsonBytes.fallback();
                }
                in.expect(':');
                in.skipWhitespace();
                capture = in.literal();
            } while (in.tryConsume(','));
            in.expect('}');
        }
        return capture != null && capture;
    }

    /** The values of a (possibly nested) array of numbers at the cursor, row-major, exactly {@code n} of them. */
    private Object values(DataType type, int n) {
        Object out = type.newArray(n);
        int count = 0;
        int depth = 0;
        in.skipWhitespace();
        if (in.peek() != '[') {
            throw JsonBytes.fallback(); // a lone scalar: left to the full parser
        }
        while (true) {
            in.skipWhitespace();
            byte c = in.peek();
            if (c == '[') {
                depth++;
                in.next();
                continue;
            }
            if (c == ']') {
                throw JsonBytes.fallback(); // an empty array
            }
            if (count == n) {
                throw JsonBytes.fallback();
            }
            store(type, out, count++);
            in.skipWhitespace();
            while (in.peek() == ']') {
                in.next();
                if (--depth == 0) {
                    if (count != n) {
                        throw JsonBytes.fallback();
                    }
                    return out;
                }
                in.skipWhitespace();
            }
            if (in.next() != ',') {
                throw JsonBytes.fallback();
            }
        }
    }

    private void store(DataType type, Object out, int i) {
        switch (type) {
            case FP32 -> ((float[]) out)[i] = (float) in.number(true);
            case FP64 -> ((double[]) out)[i] = in.number(false);
            case INT8 -> ((byte[]) out)[i] = (byte) in.integer(Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT8 -> ((byte[]) out)[i] = (byte) in.integer(0, 255);
            case INT16 -> ((short[]) out)[i] = (short) in.integer(Short.MIN_VALUE, Short.MAX_VALUE);
            case INT32 -> ((int[]) out)[i] = (int) in.integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT64 -> ((long[]) out)[i] = in.integer(-Long.MAX_VALUE, Long.MAX_VALUE);
            default -> throw JsonBytes.fallback();
        }
    }
}
