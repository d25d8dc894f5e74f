package io.edgeloop.server.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code edgeloop fleet rollouts create|list|get|executions|watch|pause|resume|cancel|approve}.
 * {@code watch} prints progress until the rollout ends and exits 0 on SUCCEEDED, 1 otherwise.
 */
@Command(name = "rollouts", mixinStandardHelpOptions = true, description = "Create, follow and steer rollouts.",
        subcommands = {RolloutsCommand.Create.class, RolloutsCommand.ListRollouts.class, RolloutsCommand.Get.class,
                RolloutsCommand.Executions.class, RolloutsCommand.Watch.class, RolloutsCommand.Pause.class,
                RolloutsCommand.Resume.class, RolloutsCommand.Cancel.class, RolloutsCommand.Approve.class})
public final class RolloutsCommand {
    static final Set<String> ENDED = Set.of("SUCCEEDED", "ABORTED", "CANCELED", "ROLLED_BACK");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Table table() {
        return new Table().field("ROLLOUT", "rolloutId").field("PACKAGE", "package").field("STATE", "state")
                .column("WAVE", r -> r.path("wave").asText("-") + "/" + r.path("waves").asText("-"))
                .column("SUCCEEDED", r -> r.path("counts").path("SUCCEEDED").asText("0"))
                .column("FAILED", r -> String.valueOf(failures(r.path("counts"))))
                .column("LIVE", r -> String.valueOf(r.path("counts").path("QUEUED").asInt()
                        + r.path("counts").path("IN_PROGRESS").asInt()))
                .field("CREATED", "createdAt");
    }

    static int failures(JsonNode counts) {
        return counts.path("FAILED").asInt() + counts.path("REJECTED").asInt() + counts.path("TIMED_OUT").asInt();
    }

    /** A target: exactly one of group, tags, devices. */
    static final class TargetOptions {
        @Option(names = "--group", description = "Every device of this group.")
        String group;
        @Option(names = "--tag", paramLabel = "K=V", description = "Devices with this tag (repeatable: all must match).")
        List<String> tags;
        @Option(names = "--devices", split = ",", paramLabel = "ID,…", description = "These devices.")
        List<String> devices;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a rollout; prints its id (with --json: {\"rolloutId\", \"state\"}).")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Option(names = "--package", required = true, paramLabel = "NAME:VERSION", description = "A stored package.")
        String pkg;
        @ArgGroup(exclusive = true, multiplicity = "0..1")
        TargetOptions target;
        @Option(names = "--waves", paramLabel = "P,…", description = "Cumulative wave percentages, e.g. 10,50,100 (default: one wave).")
        String waves;
        @Option(names = "--soak", description = "Soak each wave this long after it meets its threshold, ISO-8601 or seconds (default 0).")
        String soak;
        @Option(names = "--success-threshold", description = "Share of each wave that must succeed, 0..1 (default 1.0).")
        Double successThreshold;
        @Option(names = "--dynamic", description = "Also notify devices that join the target later.")
        boolean dynamic;
        @Option(names = "--retries", description = "Retries of a failed or timed-out execution, 0..10 (default 0).")
        Integer retries;
        @Option(names = "--priority", description = "Higher first (default 0).")
        Integer priority;
        @Option(names = "--validation", paramLabel = "NONE|REFERENCE|SHADOW", description = "How devices check the version before activating it.")
        String validation;
        @Option(names = "--validation-samples", description = "Inputs compared in validation (SHADOW: live requests).")
        Integer samples;
        @Option(names = "--min-agreement", description = "Share of validation inputs that must agree, 0..1.")
        Double minAgreement;
        @Option(names = "--gate", description = "Turn on the quality gate with its default thresholds.")
        boolean gate;
        @Option(names = "--in-progress-timeout", description = "Seconds from notification to a final state (default 1800).")
        Integer inProgress;
        @Option(names = "--step-timeout", description = "Seconds one step may take (default 0 = off).")
        Integer step;
        @Option(names = "--liveness-timeout", description = "Seconds a device may stay silent (default 0 = off).")
        Integer liveness;
        @Option(names = "--start-at", description = "Start at this ISO-8601 instant.")
        String startAt;
        @Option(names = "--window", paramLabel = "CRON/MINUTES", description = "Maintenance window: a 5-field UTC cron and its length in minutes, e.g. '0 2 * * */120'.")
        String window;
        @Option(names = "--requires-approval", description = "Wait for an admin's approval before starting.")
        boolean approval;
        @Option(names = "--file", description = "The whole request body as JSON (other options then override its fields).")
        Path file;

        @Override
        public Integer call() throws IOException {
            ObjectNode body = file == null ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(Files.readString(file));
            body.put("package", pkg);
            if (target != null) {
                ObjectNode t = JSON.createObjectNode();
                if (target.group != null) {
                    t.put("group", target.group);
                } else if (target.tags != null) {
                    ObjectNode tags = t.putObject("tags");
                    for (String kv : target.tags) {
                        int eq = kv.indexOf('=');
                        if (eq < 1) {
                            throw new ParameterException(spec.commandLine(), "--tag must be K=V, not " + kv);
                        }
                        tags.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                } else {
                    ArrayNode d = t.putArray("devices");
                    target.devices.forEach(d::add);
                }
                body.set("target", t);
            } else if (!body.has("target")) {
                throw new ParameterException(spec.commandLine(), "give a target: --group G, --tag K=V or --devices A,B");
            }
            if (waves != null && (soak != null || successThreshold != null)) {
                ArrayNode w = body.putArray("waves");
                for (String p : waves.split(",")) {
                    ObjectNode wave = w.addObject();
                    try {
                        wave.put("percent", Integer.parseInt(p.strip()));
                    } catch (NumberFormatException e) {
                        throw new ParameterException(spec.commandLine(), "--waves must be integers such as 10,50,100");
                    }
                    if (soak != null) {
                        wave.put("soakSeconds", seconds(soak));
                    }
                    if (successThreshold != null) {
                        wave.put("successThreshold", successThreshold);
                    }
                }
            } else if (waves != null) {
                body.put("wavePercents", waves);
            }
            if (dynamic) {
                body.put("dynamic", true);
            }
            if (retries != null) {
                body.put("retries", retries);
            }
            if (priority != null) {
                body.put("priority", priority);
            }
            if (validation != null) {
                ObjectNode v = body.putObject("validation").put("mode", validation);
                if (samples != null) {
                    v.put("samples", samples);
                }
                if (minAgreement != null) {
                    v.put("minAgreement", minAgreement);
                }
            }
            if (gate && !body.has("gate")) {
                body.putObject("gate");
            }
            if (inProgress != null || step != null || liveness != null) {
                ObjectNode t = body.has("timeouts") ? (ObjectNode) body.get("timeouts") : body.putObject("timeouts");
                if (inProgress != null) {
                    t.put("inProgressSeconds", inProgress);
                }
                if (step != null) {
                    t.put("stepSeconds", step);
                }
                if (liveness != null) {
                    t.put("livenessSeconds", liveness);
                }
            }
            if (startAt != null) {
                body.put("startAt", startAt);
            }
            if (window != null) {
                int slash = window.lastIndexOf('/');
                if (slash < 1) {
                    throw new ParameterException(spec.commandLine(), "--window must be 'CRON/MINUTES', e.g. '0 2 * * */120'");
                }
                try {
                    body.putObject("maintenanceWindow").put("cron", window.substring(0, slash).strip())
                            .put("durationMinutes", Integer.parseInt(window.substring(slash + 1).strip()));
                } catch (NumberFormatException e) {
                    throw new ParameterException(spec.commandLine(), "--window must end in /MINUTES");
                }
            }
            if (approval) {
                body.put("requiresApproval", true);
            }
            return FleetCall.run(spec, connection, client -> client.post("/rollouts", body),
                    (out, created) -> out.println(created.get("rolloutId").asText()));
        }

        private long seconds(String text) {
            try {
                return text.startsWith("P") || text.startsWith("p") ? Duration.parse(text).toSeconds() : Long.parseLong(text);
            } catch (RuntimeException e) {
                throw new ParameterException(spec.commandLine(), "--soak must be seconds or ISO-8601 such as PT10M");
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List rollouts, newest first.")
    static final class ListRollouts implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, client -> client.get("/rollouts"), table()::print);
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a rollout: state, waves, counts, gate, events.")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, client -> client.get("/rollouts/" + FleetClient.segment(id)),
                    (out, r) -> printRollout(out, r, true));
        }
    }

    @Command(name = "executions", mixinStandardHelpOptions = true, description = "Each device's job execution.")
    static final class Executions implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection,
                    client -> client.get("/rollouts/" + FleetClient.segment(id) + "/executions"),
                    new Table().field("DEVICE", "deviceId").field("WAVE", "wave").field("STATE", "state")
                            .field("STEP", "step").field("ATTEMPT", "attempt").field("VERSION", "version")
                            .field("ERROR", "errorCode").field("UPDATED", "updatedAt")::print);
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Follow a rollout until it ends; exit 0 when it SUCCEEDED, 1 otherwise.")
    static final class Watch implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "ID")
        String id;
        @Option(names = "--interval", description = "Seconds between refreshes (default ${DEFAULT-VALUE}).")
        double interval = 1.0;

        @Override
        public Integer call() {
            String[] end = {null};
            int exit = FleetCall.run(spec, connection, (client, out) -> {
                String last = null;
                while (true) {
                    JsonNode r = client.get("/rollouts/" + FleetClient.segment(id));
                    String line = progressLine(r);
                    if (!line.equals(last)) {
                        if (connection.json()) {
                            out.println(JSON.writeValueAsString(progressJson(r)));
                        } else {
                            out.println(line);
                        }
                        out.flush();
                        last = line;
                    }
                    if (ENDED.contains(r.path("state").asText())) {
                        end[0] = r.path("state").asText();
                        if (!connection.json()) {
                            printRollout(out, r, false);
                        }
                        return;
                    }
                    Thread.sleep((long) (interval * 1000));
                }
            });
            return exit != 0 ? exit : "SUCCEEDED".equals(end[0]) ? 0 : 1;
        }
    }

    static String progressLine(JsonNode r) {
        StringBuilder b = new StringBuilder();
        b.append(java.time.LocalTime.now().withNano(0)).append(' ').append(r.path("rolloutId").asText()).append(' ')
                .append(r.path("state").asText());
        for (JsonNode w : r.path("waves")) {
            JsonNode c = w.path("counts");
            b.append(String.format("  w%d[%s %d/%d ok, %d live, %d failed]", w.path("index").asInt(), w.path("state").asText(),
                    c.path("SUCCEEDED").asInt(), w.path("targeted").asInt(), c.path("QUEUED").asInt()
                            + c.path("IN_PROGRESS").asInt(), failures(c)));
        }
        JsonNode gate = r.path("gate");
        if (gate.isObject()) {
            b.append("  gate ").append(gate.path("outcome").asText());
        }
        return b.toString();
    }

    private static ObjectNode progressJson(JsonNode r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("rolloutId", r.path("rolloutId").asText()).put("state", r.path("state").asText());
        o.set("waves", r.path("waves"));
        o.set("counts", r.path("counts"));
        o.set("gate", r.path("gate"));
        return o;
    }

    static void printRollout(PrintWriter out, JsonNode r, boolean withEvents) {
        out.printf("rollout %s  %s  %s%n", r.path("rolloutId").asText(), r.path("package").asText(), r.path("state").asText());
        if (!r.path("endReason").isNull() && r.has("endReason")) {
            out.println("  " + r.path("endReason").asText());
        }
        new Table().field("WAVE", "index").field("PERCENT", "percent").field("STATE", "state").field("TARGETED", "targeted")
                .field("REQUIRED", "required")
                .column("SUCCEEDED", w -> w.path("counts").path("SUCCEEDED").asText())
                .column("LIVE", w -> String.valueOf(w.path("counts").path("QUEUED").asInt()
                        + w.path("counts").path("IN_PROGRESS").asInt()))
                .column("FAILED", w -> String.valueOf(failures(w.path("counts"))))
                .column("ROLLED_BACK", w -> w.path("counts").path("ROLLED_BACK").asText())
                .print(out, r.path("waves"));
        JsonNode gate = r.path("gate");
        if (gate.isObject()) {
            out.println("gate " + gate.path("outcome").asText() + ": " + gate.path("summary").asText(""));
        }
        for (String t : List.of("breachAt", "haltedAt", "rolledBackAt")) {
            if (r.hasNonNull(t)) {
                out.println(t + " " + r.path(t).asText());
            }
        }
        if (withEvents) {
            List<JsonNode> events = new ArrayList<>();
            r.path("events").forEach(events::add);
            new Table().field("AT", "at").field("EVENT", "type").field("DEVICE", "deviceId").field("DETAIL", "detail")
                    .print(out, events.subList(Math.max(0, events.size() - 20), events.size()));
        }
    }

    /** pause|resume|cancel|approve ID. */
    abstract static class Act implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        abstract String action();

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection,
                    client -> client.post("/rollouts/" + FleetClient.segment(id) + "/" + action(), Map.of()),
                    (out, r) -> out.printf("%s %s%n", r.path("rolloutId").asText(), r.path("state").asText()));
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop notifying devices (in-flight jobs finish).")
    static final class Pause extends Act {
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused rollout.")
    static final class Resume extends Act {
        String action() {
            return "resume";
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel the rollout and its pending jobs.")
    static final class Cancel extends Act {
        String action() {
            return "cancel";
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a rollout that waits for it (admin).")
    static final class Approve extends Act {
        String action() {
            return "approve";
        }
    }
}
