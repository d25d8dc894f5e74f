package io.edgeloop.server.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code edgeloop fleet captures list|stats|label}: what the fleet captured, and an annotator's labels. */
@Command(name = "captures", mixinStandardHelpOptions = true,
        description = "List the samples the fleet captured, their usage per device, and label them.",
        subcommands = {CapturesCommand.ListCaptures.class, CapturesCommand.Stats.class, CapturesCommand.Label.class})
public final class CapturesCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Captures, oldest first (no inputs).")
    static final class ListCaptures implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Option(names = "--device", description = "One device.")
        String device;
        @Option(names = "--model", description = "One model.")
        String model;
        @Option(names = "--since", description = "Captured at or after this ISO-8601 instant.")
        String since;
        @Option(names = "--limit", description = "Most captures (default 100, at most 10000).")
        Integer limit;

        @Override
        public Integer call() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("device", device);
            q.put("model", model);
            q.put("since", since);
            q.put("limit", limit == null ? null : limit.toString());
            return FleetCall.run(spec, connection, client -> client.get(FleetClient.query("/captures", q)),
                    (out, r) -> new Table().field("ID", "id").field("DEVICE", "deviceId").field("MODEL", "model")
                            .field("VERSION", "version").field("REQUEST", "requestId").field("CAPTURED", "capturedAt")
                            .field("PREDICTED", "predicted").field("LABEL", "label").field("SOURCE", "labelSource")
                            .print(out, r.path("items")));
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Stored captures per device, and the server's retention.")
    static final class Stats implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Option(names = "--model", description = "One model (default all).")
        String model;

        @Override
        public Integer call() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("model", model);
            return FleetCall.run(spec, connection, client -> client.get(FleetClient.query("/captures/stats", q)),
                    (out, r) -> {
                        new Table().field("DEVICE", "deviceId").field("CAPTURES", "captures")
                                .field("LABELLED", "labelled").field("BYTES", "bytes").field("OLDEST", "oldest")
                                .field("NEWEST", "newest").print(out, r.path("devices"));
                        JsonNode t = r.path("totals");
                        JsonNode ret = r.path("retention");
                        out.printf("total: %d captures, %d labelled, %d bytes; %d labels waiting for their capture%n",
                                t.path("captures").asLong(), t.path("labelled").asLong(), t.path("bytes").asLong(),
                                t.path("pendingLabels").asLong());
                        out.printf("retention: max age %s, %s a device, %s in all%n", ret.path("maxAge").asText(),
                                quota(ret.path("deviceQuotaBytes").asLong()), quota(ret.path("totalQuotaBytes").asLong()));
                    });
        }

        private static String quota(long bytes) {
            return bytes == 0 ? "no quota" : bytes + " bytes";
        }
    }

    @Command(name = "label", mixinStandardHelpOptions = true,
            description = "Post an annotator's labels (operator): REQUEST_ID=LABEL pairs of one device and model,"
                    + " or a CSV file of deviceId,requestId,model,label lines.")
    static final class Label implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Option(names = "--device", description = "The device of the REQUEST_ID=LABEL pairs.")
        String device;
        @Option(names = "--model", description = "The model of the REQUEST_ID=LABEL pairs.")
        String model;
        @Option(names = "--file", description = "CSV: deviceId,requestId,model,label per line (a header line is skipped).")
        Path file;
        @Parameters(paramLabel = "REQUEST_ID=LABEL", arity = "0..*", description = "A capture's request id and its class index.")
        List<String> pairs = List.of();

        @Override
        public Integer call() {
            List<Map<String, Object>> labels = new ArrayList<>();
            if (!pairs.isEmpty()) {
                if (device == null || model == null) {
                    throw new ParameterException(spec.commandLine(), "REQUEST_ID=LABEL pairs need --device and --model");
                }
                for (String p : pairs) {
                    int eq = p.lastIndexOf('=');
                    if (eq < 1) {
                        throw new ParameterException(spec.commandLine(), "expected REQUEST_ID=LABEL, not '" + p + "'");
                    }
                    labels.add(label(device, p.substring(0, eq), model, p.substring(eq + 1), p));
                }
            }
            if (file != null) {
                labels.addAll(readCsv());
            }
            if (labels.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "give REQUEST_ID=LABEL pairs or --file");
            }
            return FleetCall.run(spec, connection, client -> client.post("/captures/labels", Map.of("labels", labels)),
                    (out, r) -> out.printf("%d labels stored: %d matched a capture, %d wait for theirs%n", labels.size(),
                            r.path("matched").asInt(), r.path("pending").asInt()));
        }

        private List<Map<String, Object>> readCsv() {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || (i == 0 && line.startsWith("deviceId"))) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != 4) {
                    throw new ParameterException(spec.commandLine(), file + " line " + (i + 1)
                            + ": expected deviceId,requestId,model,label, got '" + line + "'");
                }
                out.add(label(f[0].strip(), f[1].strip(), f[2].strip(), f[3].strip(), file + " line " + (i + 1)));
            }
            return out;
        }

        private Map<String, Object> label(String deviceId, String requestId, String modelName, String value, String where) {
            int label;
            try {
                label = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), where + ": the label must be a class index, not '"
                        + value + "'");
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("deviceId", deviceId);
            m.put("requestId", requestId);
            m.put("model", modelName);
            m.put("label", label);
            return m;
        }
    }
}
