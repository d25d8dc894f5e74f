package io.edgeloop.protocol.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.message.AccuracyEstimate;
import io.edgeloop.protocol.message.ClassCount;
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
        putIfPresent(out, "source", feature.source());
        putIfPresent(out, "threshold", feature.threshold());
        putIfPresent(out, "mean", feature.mean());
        putIfPresent(out, "baselineMean", feature.baselineMean());
    }

    static FeatureDrift readFeature(JsonFields in) throws MessageFormatException {
        return new FeatureDrift(in.text("name"), in.doubleValue("psi"), in.doubleValue("ksStatistic"),
                in.doubleValue("ksPValue"), in.bool("drifted"), in.optionalText("source"), in.optionalDouble("threshold"),
                in.optionalDouble("mean"), in.optionalDouble("baselineMean"));
    }

    static void write(OutputDrift output, ObjectNode out) {
        out.put("psi", output.psi());
        out.put("chiSquarePValue", output.chiSquarePValue());
        out.put("drifted", output.drifted());
        putIfPresent(out, "chiSquare", output.chiSquare());
        putIfPresent(out, "threshold", output.threshold());
        if (!output.classes().isEmpty()) {
            ArrayNode classes = out.putArray("classes");
            for (ClassCount c : output.classes()) {
                classes.addObject().put("name", c.name()).put("observed", c.observed()).put("expected", c.expected());
            }
        }
    }

    static OutputDrift readOutput(JsonFields in) throws MessageFormatException {
        List<ClassCount> classes = in.has("classes") ? in.objects("classes", ValueJson::readClassCount) : List.of();
        return new OutputDrift(in.doubleValue("psi"), in.doubleValue("chiSquarePValue"), in.bool("drifted"),
                in.optionalDouble("chiSquare"), in.optionalDouble("threshold"), classes);
    }

    static ClassCount readClassCount(JsonFields in) throws MessageFormatException {
        return new ClassCount(in.text("name"), in.longValue("observed"), in.doubleValue("expected"));
    }

    static void write(AccuracyEstimate estimate, ObjectNode out) {
        out.put("value", estimate.value());
        putIfPresent(out, "low", estimate.low());
        putIfPresent(out, "high", estimate.high());
        out.put("method", estimate.method());
        out.put("outOfRange", estimate.outOfRange());
    }

    static AccuracyEstimate readEstimate(JsonFields in) throws MessageFormatException {
        return new AccuracyEstimate(in.doubleValue("value"), in.optionalDouble("low"), in.optionalDouble("high"),
                in.text("method"), in.optionalBool("outOfRange", false));
    }

    static void write(LiveAccuracy live, ObjectNode out) {
        out.put("accuracy", live.accuracy());
        out.put("labelledCount", live.labelledCount());
        putIfPresent(out, "estimateError", live.estimateError());
    }

    static LiveAccuracy readLive(JsonFields in) throws MessageFormatException {
        return new LiveAccuracy(in.doubleValue("accuracy"), in.longValue("labelledCount"),
                in.optionalDouble("estimateError"));
    }

    static void putIfPresent(ObjectNode out, String field, Double value) {
        if (value != null) {
            out.put(field, value);
        }
    }

    static void putIfPresent(ObjectNode out, String field, String value) {
        if (value != null) {
            out.put(field, value);
        }
    }

    static void writeMap(Map<String, String> values, ObjectNode out) {
        values.forEach(out::put);
    }
}
