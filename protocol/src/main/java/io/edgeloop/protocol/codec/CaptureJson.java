package io.edgeloop.protocol.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.CapturedSample;

/**
 * JSON body of {@link CaptureBatch}: {@code samples}, each with its input as {@code inputB64}
 * ({@link Float32Le}) and {@code label} left out when there is none.
 */
final class CaptureJson implements MessageMapping<CaptureBatch> {
    @Override
    public String schema() {
        return CaptureBatch.SCHEMA;
    }

    @Override
    public Class<CaptureBatch> type() {
        return CaptureBatch.class;
    }

    @Override
    public void write(CaptureBatch batch, ObjectNode out) {
        ArrayNode samples = out.putArray("samples");
        for (CapturedSample sample : batch.samples()) {
            ObjectNode node = samples.addObject();
            node.put("requestId", sample.requestId());
            node.put("model", sample.model());
            node.put("version", sample.version());
            node.put("capturedAtMillis", sample.capturedAtMillis());
            node.put("predicted", sample.predicted());
            node.put("confidence", sample.confidence());
            ArrayNode shape = node.putArray("shape");
            for (long dimension : sample.shape()) {
                shape.add(dimension);
            }
            node.put("inputB64", Float32Le.toBase64(sample.input()));
            if (sample.label() != null) {
                node.put("label", sample.label());
            }
        }
    }

    @Override
    public CaptureBatch read(Header header, JsonFields in) throws MessageFormatException {
        return new CaptureBatch(header.deviceId(), header.ts(), header.seq(), in.objects("samples", CaptureJson::sample));
    }

    private static CapturedSample sample(JsonFields in) throws MessageFormatException {
        return new CapturedSample(in.text("requestId"), in.text("model"), in.text("version"),
                in.longValue("capturedAtMillis"), in.intValue("predicted"), (float) in.doubleValue("confidence"),
                in.longs("shape"), Float32Le.fromBase64(in.path("inputB64"), in.text("inputB64")),
                in.optionalInt("label"));
    }
}
