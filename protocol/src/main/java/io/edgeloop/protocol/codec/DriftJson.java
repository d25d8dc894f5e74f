package io.edgeloop.protocol.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.message.DriftReport;

/** JSON body of {@link DriftReport}; absent accuracies and fields older agents lack are left out. */
final class DriftJson implements MessageMapping<DriftReport> {
    @Override
    public String schema() {
        return DriftReport.SCHEMA;
    }

    @Override
    public Class<DriftReport> type() {
        return DriftReport.class;
    }

    @Override
    public void write(DriftReport report, ObjectNode out) {
        ValueJson.write(report.model(), out.putObject("model"));
        out.put("windowStart", report.windowStart().toString());
        out.put("windowEnd", report.windowEnd().toString());
        out.put("samples", report.samples());
        ArrayNode features = out.putArray("features");
        report.features().forEach(feature -> ValueJson.write(feature, features.addObject()));
        ValueJson.write(report.output(), out.putObject("output"));
        if (report.estimatedAccuracy() != null) {
            out.put("estimatedAccuracy", report.estimatedAccuracy());
        }
        if (report.liveAccuracy() != null) {
            ValueJson.write(report.liveAccuracy(), out.putObject("liveAccuracy"));
        }
        out.put("drifted", report.drifted());
        out.put("alpha", report.alpha());
        ValueJson.putIfPresent(out, "familyAlpha", report.familyAlpha());
        if (report.estimate() != null) {
            ValueJson.write(report.estimate(), out.putObject("estimate"));
        }
        ValueJson.putIfPresent(out, "summary", report.summary());
    }

    @Override
    public DriftReport read(Header header, JsonFields in) throws MessageFormatException {
        return new DriftReport(header.deviceId(), header.ts(), header.seq(), in.object("model", ValueJson::readModel),
                in.instant("windowStart"), in.instant("windowEnd"), in.longValue("samples"),
                in.objects("features", ValueJson::readFeature), in.object("output", ValueJson::readOutput),
                in.optionalDouble("estimatedAccuracy"), in.optionalObject("liveAccuracy", ValueJson::readLive),
                in.bool("drifted"), in.doubleValue("alpha"), in.optionalDouble("familyAlpha"),
                in.optionalObject("estimate", ValueJson::readEstimate), in.optionalText("summary"));
    }
}
