package io.edgeloop.protocol.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.message.FeatureDrift;
import io.edgeloop.protocol.message.HardwareSummary;
import io.edgeloop.protocol.message.InferenceStats;
import io.edgeloop.protocol.message.LiveAccuracy;
import io.edgeloop.protocol.message.ModelRef;
import io.edgeloop.protocol.message.OutputDrift;
import io.edgeloop.protocol.message.ResourceUsage;
import io.edgeloop.protocol.message.ShadowStats;
import java.util.List;
import java.util.Map;

/** JSON for the value records nested inside messages. Field names are the record components'. */
final class ValueJson {
    private ValueJson() {
    }

    static void write(ModelRef model, ObjectNode out) {
        out.put("name", model.name());
        out.put("version", model.version());
        out.put("variant", model.variant());
    }

    static ModelRef readModel(JsonFields in) throws MessageFormatException {
        return new ModelRef(in.text("name"), in.text("version"), in.text("variant"));
    }

    static void writeModels(List<ModelRef> models, ArrayNode out) {
        models.forEach(model -> write(model, out.addObject()));
    }

    static void write(HardwareSummary hardware, ObjectNode out) {
        out.put("os", hardware.os());
        out.put("arch", hardware.arch());
        out.put("cpuModel", hardware.cpuModel());
        out.put("cpuCores", hardware.cpuCores());
        out.put("memoryBytes", hardware.memoryBytes());
        hardware.cpuFlags().forEach(out.putArray("cpuFlags")::add);
        hardware.accelerators().forEach(out.putArray("accelerators")::add);
    }

    static HardwareSummary readHardware(JsonFields in) throws MessageFormatException {
        return new HardwareSummary(in.text("os"), in.text("arch"), in.text("cpuModel"), in.intValue("cpuCores"),
                in.longValue("memoryBytes"), in.texts("cpuFlags"), in.texts("accelerators"));
    }

    static void write(InferenceStats stats, ObjectNode out) {
        out.put("p50Micros", stats.p50Micros());
        out.put("p95Micros", stats.p95Micros());
        out.put("p99Micros", stats.p99Micros());
        out.put("throughputPerSecond", stats.throughputPerSecond());
        out.put("requestCount", stats.requestCount());
        out.put("errorCount", stats.errorCount());
    }

    static InferenceStats readInference(JsonFields in) throws MessageFormatException {
        return new InferenceStats(in.doubleValue("p50Micros"), in.doubleValue("p95Micros"),
                in.doubleValue("p99Micros"), in.doubleValue("throughputPerSecond"), in.longValue("requestCount"),
                in.longValue("errorCount"));
    }

    static void write(ResourceUsage usage, ObjectNode out) {
        out.put("cpuPercent", usage.cpuPercent());
        out.put("memoryBytes", usage.memoryBytes());
        out.put("diskFreeBytes", usage.diskFreeBytes());
        out.put("uptimeSeconds", usage.uptimeSeconds());
    }

    static ResourceUsage readResources(JsonFields in) throws MessageFormatException {
        return new ResourceUsage(in.doubleValue("cpuPercent"), in.longValue("memoryBytes"),
                in.longValue("diskFreeBytes"), in.longValue("uptimeSeconds"));
    }

    static void write(ShadowStats shadow, ObjectNode out) {
        write(shadow.model(), out.putObject("model"));
        out.put("agreementRate", shadow.agreementRate());
        out.put("latencyDeltaMicros", shadow.latencyDeltaMicros());
        out.put("comparedCount", shadow.comparedCount());
    }

    static ShadowStats readShadow(JsonFields in) throws MessageFormatException {
        return new ShadowStats(in.object("model", ValueJson::readModel), in.doubleValue("agreementRate"),
                in.doubleValue("latencyDeltaMicros"), in.longValue("comparedCount"));
    }

    static void write(FeatureDrift feature, ObjectNode out) {
        out.put("name", feature.name());
        out.put("psi", feature.psi());
        out.put("ksStatistic", feature.ksStatistic());
        out.put("ksPValue", feature.ksPValue());
        out.put("drifted", feature.drifted());
    }

    static FeatureDrift readFeature(JsonFields in) throws MessageFormatException {
        return new FeatureDrift(in.text("name"), in.doubleValue("psi"), in.doubleValue("ksStatistic"),
                in.doubleValue("ksPValue"), in.bool("drifted"));
    }

    static void write(OutputDrift output, ObjectNode out) {
        out.put("psi", output.psi());
        out.put("chiSquarePValue", output.chiSquarePValue());
        out.put("drifted", output.drifted());
    }

    static OutputDrift readOutput(JsonFields in) throws MessageFormatException {
        return new OutputDrift(in.doubleValue("psi"), in.doubleValue("chiSquarePValue"), in.bool("drifted"));
    }

    static void write(LiveAccuracy live, ObjectNode out) {
        out.put("accuracy", live.accuracy());
        out.put("labelledCount", live.labelledCount());
    }

    static LiveAccuracy readLive(JsonFields in) throws MessageFormatException {
        return new LiveAccuracy(in.doubleValue("accuracy"), in.longValue("labelledCount"));
    }

    static void writeMap(Map<String, String> values, ObjectNode out) {
        values.forEach(out::put);
    }
}
