package io.edgeloop.protocol.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.message.HealthReport;

/** JSON body of {@link HealthReport}; {@code shadow} is left out when no shadow runs. */
final class HealthJson implements MessageMapping<HealthReport> {
    @Override
    public String schema() {
        return HealthReport.SCHEMA;
    }

    @Override
    public Class<HealthReport> type() {
        return HealthReport.class;
    }

    @Override
    public void write(HealthReport report, ObjectNode out) {
        ValueJson.write(report.inference(), out.putObject("inference"));
        ValueJson.write(report.resources(), out.putObject("resources"));
        ValueJson.writeModels(report.activeModels(), out.putArray("activeModels"));
        if (report.shadow() != null) {
            ValueJson.write(report.shadow(), out.putObject("shadow"));
        }
    }

    @Override
    public HealthReport read(Header header, JsonFields in) throws MessageFormatException {
        return new HealthReport(header.deviceId(), header.ts(), header.seq(),
                in.object("inference", ValueJson::readInference), in.object("resources", ValueJson::readResources),
                in.objects("activeModels", ValueJson::readModel), in.optionalObject("shadow", ValueJson::readShadow));
    }
}
