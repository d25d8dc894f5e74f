package io.edgeloop.agent.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.edgeloop.agent.engine.DataType;
import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.protocol.ErrorCode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

    /**
     * A request of the binary tensor data extension: a JSON header of {@code jsonLength} bytes
     * (the {@code Inference-Header-Content-Length} header), then the binary data of the inputs
     * that declare {@code parameters.binary_data_size}, in input order.
     */
    public InferRequest parse(byte[] body, long jsonLength) {
        if (jsonLength < 0 || jsonLength > body.length) {
            throw new BadRequestException(BinaryTensorData.HEADER + " is " + jsonLength + " but the body has "
                    + body.length + " bytes");
        }
        return parseWithJackson(body, (int) jsonLength, new BinaryTensorData.Section(body, (int) jsonLength));
    }

    /** The full parser: any valid request, and a named error for every invalid one. */
    InferRequest parseWithJackson(byte[] body) {
        return parseWithJackson(body, body.length, null);
    }

    private InferRequest parseWithJackson(byte[] body, int jsonLength, BinaryTensorData.Section binary) {
        try (JsonParser p = JSON.createParser(body, 0, jsonLength)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRequestException("the request body must be a JSON object");
            }
            String id = null;
            List<Tensor> inputs = null;
            List<String> outputs = List.of();
            Set<String> binaryOutputs = new HashSet<>();
            RequestParameters parameters = new RequestParameters(false, false);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> id = string(p, value, "id");
                    case "inputs" -> inputs = inputs(p, value, binary);
                    case "outputs" -> outputs = outputs(p, value, binaryOutputs);
                    case "parameters" -> parameters = parameters(p, value);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new BadRequestException("unexpected content after the request object");
            }
            if (inputs == null || inputs.isEmpty()) {
                throw new BadRequestException("the request has no 'inputs'");
            }
            if (binary != null) {
                binary.requireConsumed();
            }
            return new InferRequest(id, inputs, outputs, parameters.capture(), binaryOutputs, parameters.binaryOutput());
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

    /** The request-level parameters the agent acts on. */
    private record RequestParameters(boolean capture, boolean binaryOutput) {
    }

    private static RequestParameters parameters(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw new BadRequestException("'parameters' must be an object");
        }
        boolean capture = false;
        boolean binaryOutput = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "capture" -> capture = v == JsonToken.VALUE_TRUE;
                case "binary_data_output" -> binaryOutput = v == JsonToken.VALUE_TRUE;
                default -> p.skipChildren();
            }
        }
        return new RequestParameters(capture, binaryOutput);
    }

    private static List<String> outputs(JsonParser p, JsonToken t, Set<String> binary) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw new BadRequestException("'outputs' must be an array of {\"name\": ...} objects");
        }
        List<String> names = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String name = null;
            boolean inBinary = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("name")) {
                    name = string(p, v, "outputs[].name");
                } else if (field.equals("parameters") && v == JsonToken.START_OBJECT) {
                    inBinary = binaryFlag(p);
                } else {
                    p.skipChildren();
                }
            }
            if (name == null) {
                throw new BadRequestException("each requested output needs a 'name'");
            }
            names.add(name);
            if (inBinary) {
                binary.add(name);
            }
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new BadRequestException("'outputs' must be an array of objects");
        }
        return names;
    }

    /** Reads an output's parameters object; true when it has {@code binary_data: true}. */
    private static boolean binaryFlag(JsonParser p) throws IOException {
        boolean binary = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (field.equals("binary_data")) {
                binary = v == JsonToken.VALUE_TRUE;
            } else {
                p.skipChildren();
            }
        }
        return binary;
    }

    private List<Tensor> inputs(JsonParser p, JsonToken t, BinaryTensorData.Section binary) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw new BadRequestException("'inputs' must be an array of tensors");
        }
        List<Tensor> tensors = new ArrayList<>(2);
        while (p.nextToken() == JsonToken.START_OBJECT) {
            if (tensors.size() == MAX_INPUTS) {
                throw new BadRequestException("more than " + MAX_INPUTS + " inputs");
            }
            tensors.add(tensor(p, tensors.size(), binary));
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new BadRequestException("'inputs' must be an array of tensor objects");
        }
        return tensors;
    }

    private Tensor tensor(JsonParser p, int index, BinaryTensorData.Section binary) throws IOException {
        String name = null;
        long[] shape = null;
        DataType type = null;
        Object data = null;
        TokenBuffer deferred = null;
        long binarySize = -1;
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
                case "parameters" -> binarySize = binaryDataSize(p, v, index);
                default -> p.skipChildren();
            }
        }
        String where = name == null ? "inputs[" + index + "]" : "input '" + name + "'";
        if (binarySize >= 0) {
            if (data != null || deferred != null) {
                throw new BadRequestException(where + " has both 'data' and parameters.binary_data_size");
            }
            if (binary == null) {
                throw new BadRequestException(where + " declares parameters.binary_data_size but the request has no "
                        + BinaryTensorData.HEADER + " header");
            }
            if (shape == null || type == null) {
                throw new BadRequestException(where + " needs 'name', 'shape' and 'datatype'");
            }
            data = binary.take(type, (int) Tensor.elementCount(shape), binarySize, where);
        }
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

    /** An input's parameters object: its {@code binary_data_size}, or -1 when it has none. */
    private static long binaryDataSize(JsonParser p, JsonToken t, int index) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw new BadRequestException("inputs[" + index + "].parameters must be an object");
        }
        long size = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (field.equals("binary_data_size")) {
                if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        || p.getLongValue() < 0) {
                    throw new BadRequestException("inputs[" + index + "].parameters.binary_data_size must be a "
                            + "non-negative integer");
                }
                size = p.getLongValue();
            } else {
                p.skipChildren();
            }
        }
        return size;
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
            throw new BadRequestException(ErrorCode.REQUEST_TOO_LARGE, "inputs[" + index + "].shape declares more than " + maxElements + " elements");
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
