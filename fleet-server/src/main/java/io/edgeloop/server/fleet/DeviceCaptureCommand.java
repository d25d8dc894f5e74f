package io.edgeloop.server.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code edgeloop fleet devices capture ID|--group G|--tag K=V --on|--off [--sample-rate R]}: sends
 * {@code cmd/capture} to the device(s) through the server (operator).
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Switch data capture on or off on a device, or on every device of a group or tag (operator).")
final class DeviceCaptureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    FleetConnection connection;
    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "Device id (or --group / --tag).")
    String id;
    @Option(names = "--group", description = "Every device of this group.")
    String group;
    @Option(names = "--tag", paramLabel = "K=V", description = "Every device with this tag.")
    String tag;
    @ArgGroup(exclusive = true, multiplicity = "1")
    Switch state;
    @Option(names = "--sample-rate", paramLabel = "R", description = "Fraction of requests captured, in [0, 1];"
            + " default: the device's own rate.")
    Double sampleRate;

    static final class Switch {
        @Option(names = "--on", required = true, description = "Capture on.")
        boolean on;
        @Option(names = "--off", required = true, description = "Capture off.")
        boolean off;
    }

    @Override
    public Integer call() {
        boolean selector = group != null || tag != null;
        if ((id == null) == !selector) {
            throw new ParameterException(spec.commandLine(), "name one device ID, or --group / --tag, not both");
        }
        if (sampleRate != null && !(sampleRate >= 0 && sampleRate <= 1)) {
            throw new ParameterException(spec.commandLine(), "--sample-rate must be in [0, 1], not " + sampleRate);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", state.on);
        if (sampleRate != null) {
            body.put("sampleRate", sampleRate);
        }
        if (id != null) {
            return FleetCall.run(spec, connection, client -> client.post("/devices/" + FleetClient.segment(id)
                    + "/capture", body), (out, d) -> print(out, d));
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("group", group);
        q.put("tag", tag);
        return FleetCall.run(spec, connection, client -> client.post(FleetClient.query("/devices/capture", q), body),
                (out, r) -> {
                    r.path("devices").forEach(d -> print(out, d));
                    out.printf("%d device(s)%n", r.path("devices").size());
                });
    }

    private static void print(PrintWriter out, JsonNode d) {
        out.printf("%s: capture %s%s%s%n", d.path("deviceId").asText(), d.path("enabled").asBoolean() ? "on" : "off",
                d.path("sampleRate").isNumber() ? " (sample rate " + d.get("sampleRate").asDouble() + ")" : "",
                d.path("online").asBoolean() ? "" : " (the device was offline)");
    }
}
