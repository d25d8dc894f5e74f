package io.edgeloop.agent.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.edgeloop.agent.engine.DataType;
import io.edgeloop.agent.engine.Tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses a KServe v2 infer request body with Jackson's streaming parser, straight into primitive
 * arrays: no tree, no boxing. Tensor data may be flat or nested (nesting is flattened row-major);
 * when {@code data} comes before {@code shape} or {@code datatype}, its tokens are buffered and
 * parsed once both are known. Anything malformed throws {@link BadRequestException} naming it.
 */
public final class InferRequestParser {
    static final int MAX_INPUTS = 64;
    static final int MAX_RANK = 8;
    /** Fast float parsing (Jackson's bundled FastDoubleParser): tensor data is mostly numbers. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(64)
                    .maxStringLength(1 << 20).build())
            .build();

    private final long maxElements;

    /** @param maxElements the most tensor elements one request may declare (bounds allocation) */
    public InferRequestParser(long maxElements) {
        this.maxElements = maxElements;
    }

    public InferRequest parse(byte[] body) {
        InferRequest fast = new InferRequestFastPath(maxElements).tryParse(body);
        return fast != null ? fast : parseWithJackson(body);
    }

    /** The full parser: any valid request, and a named error for every invalid one. */
    InferRequest parseWithJackson(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRequestException("the request body must be a JSON object");
            }
            String id = null;
            List<Tensor> inputs = null;
            List<String> outputs = List.of();
            boolean capture = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> id = string(p, value, "id");
                    case "inputs" -> inputs = inputs(p, value);
                    case "outputs" -> outputs = outputs(p, value);
                    case "parameters" -> capture = parameters(p, value);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new BadRequestException("unexpected content after the request object");
            }
            if (inputs == null || inputs.isEmpty()) {
                throw new BadRequestException("the request has no 'inputs'");
            }
            return new InferRequest(id, inputs, outputs, capture);
        } catch (IOException e) {
            throw new BadRequestException("malformed JSON: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable body";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static String string(JsonParser p, JsonToken t, String what) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw new BadRequestException("'" + what + "' must be a string");
        }
        return p.getText();
    }

    private static boolean parameters(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw new BadRequestException("'parameters' must be an object");
        }
        boolean capture = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("capture")) {
                capture = v == JsonToken.VALUE_TRUE;
            } else {
                p.skipChildren();
            }
        }
        return capture;
    }

    private static List<String> outputs(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw new BadRequestException("'outputs' must be an array of {\"name\": ...} objects");
        }
        List<String> names = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String name = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("name")) {
                    name = string(p, v, "outputs[].name");
                } else {
                    p.skipChildren();
                }
            }
            if (name == null) {
                throw new BadRequestException("each requested output needs a 'name'");
            }
            names.add(name);
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new BadRequestException("'outputs' must be an array of objects");
        }
        return names;
    }

    private List<Tensor> inputs(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw new BadRequestException("'inputs' must be an array of tensors");
        }
        List<Tensor> tensors = new ArrayList<>(2);
        while (p.nextToken() == JsonToken.START_OBJECT) {
            if (tensors.size() == MAX_INPUTS) {
                throw new BadRequestException("more than " + MAX_INPUTS + " inputs");
            }
            tensors.add(tensor(p, tensors.size()));
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new BadRequestException("'inputs' must be an array of tensor objects");
        }
        return tensors;
    }

    private Tensor tensor(JsonParser p, int index) throws IOException {
        String name = null;
        long[] shape = null;
        DataType type = null;
        Object data = null;
        TokenBuffer deferred = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "name" -> name = string(p, v, "inputs[" + index + "].name");
                case "shape" -> shape = shape(p, v, index);
                case "datatype" -> {
                    String text = string(p, v, "inputs[" + index + "].datatype");
                    type = DataType.parse(text);
                    if (type == null) {
                        throw new BadRequestException("inputs[" + index + "]: unsupported datatype '" + text
                                + "'; use one of " + Arrays.toString(DataType.values()));
                    }
                }
                case "data" -> {
                    if (type != null && shape != null) {
                        data = data(p, type, shape, index);
                    } else {
                        deferred = new TokenBuffer(p);
                        deferred.copyCurrentStructure(p);
                    }
                }
                default -> p.skipChildren();
            }
        }
        String where = name == null ? "inputs[" + index + "]" : "input '" + name + "'";
        if (name == null || shape == null || type == null) {
            throw new BadRequestException(where + " needs 'name', 'shape' and 'datatype'");
        }
        if (data == null) {
            if (deferred == null) {
                throw new BadRequestException(where + " has no 'data'");
            }
            try (JsonParser again = deferred.asParser()) {
                data = data(again, type, shape, index, again.nextToken());
            }
        }
        return new Tensor(name, type, shape, data);
    }

    private long[] shape(JsonParser p, JsonToken t, int index) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw new BadRequestException("inputs[" + index + "].shape must be an array of non-negative integers");
        }
        long[] dims = new long[MAX_RANK];
        int rank = 0;
        long elements = 1;
        while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
            if (rank == MAX_RANK) {
                throw new BadRequestException("inputs[" + index + "].shape has more than " + MAX_RANK + " dimensions");
            }
            long d = p.getLongValue();
            if (d < 0) {
                throw new BadRequestException("inputs[" + index + "].shape has a negative dimension " + d);
            }
            elements = d == 0 ? 0 : (elements > maxElements / d ? maxElements + 1 : elements * d);
            dims[rank++] = d;
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new BadRequestException("inputs[" + index + "].shape must be an array of non-negative integers");
        }
        if (elements > maxElements) {
            throw new BadRequestException(413, "inputs[" + index + "].shape declares more than " + maxElements + " elements");
        }
        return Arrays.copyOf(dims, rank);
    }

    private Object data(JsonParser p, DataType type, long[] shape, int index) throws IOException {
        return data(p, type, shape, index, p.currentToken());
    }

    private static Object data(JsonParser p, DataType type, long[] shape, int index, JsonToken first) throws IOException {
        int n = (int) Tensor.elementCount(shape);
        Object out = type.newArray(n);
        TensorDataReader reader = new TensorDataReader(type, out, index);
        if (first != JsonToken.START_ARRAY) {
            // A single scalar value is allowed for a one-element tensor.
            reader.read(p, first);
        } else {
            int depth = 1;
            while (depth > 0) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    throw new BadRequestException("inputs[" + index + "].data ends early");
                }
                if (t == JsonToken.START_ARRAY) {
                    depth++;
                } else if (t == JsonToken.END_ARRAY) {
                    depth--;
                } else {
                    reader.read(p, t);
                }
            }
        }
        if (reader.count() != n) {
            throw new BadRequestException("inputs[" + index + "] has " + reader.count() + " values but shape "
                    + Arrays.toString(shape) + " needs " + n);
        }
        return out;
    }
}
