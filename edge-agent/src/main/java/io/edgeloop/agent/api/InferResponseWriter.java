package io.edgeloop.agent.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.edgeloop.agent.engine.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Writes KServe v2 inference responses with Jackson's streaming generator. */
final class InferResponseWriter {
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private InferResponseWriter() {
    }

    static byte[] write(String model, String version, String id, List<Tensor> outputs) {
        return write(model, version, id, outputs, name -> false).bytes();
    }

    /** A response body: its bytes, of which the first {@code jsonLength} are the JSON header. */
    record Encoded(byte[] bytes, int jsonLength) {
    }

    /**
     * A response in which the outputs {@code binary} selects carry their data after the JSON
     * (binary tensor data extension: {@code parameters.binary_data_size} instead of {@code data}).
     */
    static Encoded write(String model, String version, String id, List<Tensor> outputs, Predicate<String> binary) {
        List<byte[]> tails = new ArrayList<>();
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(256);
             JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("model_name", model);
            g.writeStringField("model_version", version);
            g.writeStringField("id", id);
            g.writeArrayFieldStart("outputs");
            for (Tensor t : outputs) {
                g.writeStartObject();
                g.writeStringField("name", t.name());
                g.writeStringField("datatype", t.type().name());
                g.writeArrayFieldStart("shape");
                for (long d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                if (binary.test(t.name())) {
                    byte[] tail = BinaryTensorData.encode(t);
                    tails.add(tail);
                    g.writeObjectFieldStart("parameters");
                    g.writeNumberField("binary_data_size", tail.length);
                    g.writeEndObject();
                } else {
                    g.writeFieldName("data");
                    data(g, t);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
            int jsonLength = bytes.size();
            for (byte[] tail : tails) {
                bytes.write(tail);
            }
            return new Encoded(bytes.toByteArray(), jsonLength);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void data(JsonGenerator g, Tensor t) throws IOException {
        g.writeStartArray();
        switch (t.type()) {
            case FP32 -> {
                for (float v : (float[]) t.data()) {
                    g.writeNumber(v);
                }
            }
            case FP64 -> {
                for (double v : (double[]) t.data()) {
                    g.writeNumber(v);
                }
            }
            case INT8 -> {
                for (byte v : (byte[]) t.data()) {
                    g.writeNumber(v);
                }
            }
            case UINT8 -> {
                for (byte v : (byte[]) t.data()) {
                    g.writeNumber(v & 0xff);
                }
            }
            case BOOL -> {
                for (byte v : (byte[]) t.data()) {
                    g.writeBoolean(v != 0);
                }
            }
            case INT16 -> {
                for (short v : (short[]) t.data()) {
                    g.writeNumber(v);
                }
            }
            case INT32 -> {
                for (int v : (int[]) t.data()) {
                    g.writeNumber(v);
                }
            }
            case INT64 -> {
                for (long v : (long[]) t.data()) {
                    g.writeNumber(v);
                }
            }
            case BYTES -> {
                for (String v : (String[]) t.data()) {
                    g.writeString(v);
                }
            }
        }
        g.writeEndArray();
    }
}
