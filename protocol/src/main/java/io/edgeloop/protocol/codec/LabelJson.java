package io.edgeloop.protocol.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.message.LabelBatch;
import io.edgeloop.protocol.message.SampleLabel;

/** JSON body of {@link LabelBatch}: {@code labels}, each a {@link SampleLabel}'s fields. */
final class LabelJson implements MessageMapping<LabelBatch> {
    @Override
    public String schema() {
        return LabelBatch.SCHEMA;
    }

    @Override
    public Class<LabelBatch> type() {
        return LabelBatch.class;
    }

    @Override
    public void write(LabelBatch batch, ObjectNode out) {
        ArrayNode labels = out.putArray("labels");
        for (SampleLabel label : batch.labels()) {
            ObjectNode node = labels.addObject();
            node.put("requestId", label.requestId());
            node.put("model", label.model());
            node.put("label", label.label());
            node.put("labelledAtMillis", label.labelledAtMillis());
            node.put("source", label.source());
        }
    }

    @Override
    public LabelBatch read(Header header, JsonFields in) throws MessageFormatException {
        return new LabelBatch(header.deviceId(), header.ts(), header.seq(), in.objects("labels", LabelJson::label));
    }

    private static SampleLabel label(JsonFields in) throws MessageFormatException {
        return new SampleLabel(in.text("requestId"), in.text("model"), in.intValue("label"),
                in.longValue("labelledAtMillis"), in.text("source"));
    }
}
