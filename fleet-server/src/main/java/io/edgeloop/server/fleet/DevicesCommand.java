package io.edgeloop.server.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code edgeloop fleet devices enrol|list|get|revoke|capture}. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "Register, list, show and revoke devices; switch their capture on or off.",
        subcommands = {DevicesCommand.Enrol.class, DevicesCommand.ListDevices.class, DevicesCommand.Get.class,
                DevicesCommand.Revoke.class, DeviceCaptureCommand.class})
public final class DevicesCommand {

    static Table table() {
        return new Table().field("DEVICE", "deviceId").field("STATUS", "status").field("GROUP", "group")
                .column("ONLINE", d -> d.path("online").asBoolean() ? "yes" : "no")
                .column("MODEL", d -> d.path("model").isTextual()
                        ? d.get("model").asText() + " " + d.path("modelVersion").asText("") : "-")
                .column("TAGS", d -> {
                    StringBuilder b = new StringBuilder();
                    d.path("tags").fields().forEachRemaining(e -> b.append(b.length() == 0 ? "" : ",")
                            .append(e.getKey()).append('=').append(e.getValue().asText()));
                    return b.length() == 0 ? "-" : b.toString();
                });
    }

    @Command(name = "enrol", mixinStandardHelpOptions = true,
            description = "Register a device and print its one-time enrolment token.")
    static final class Enrol implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "ID", description = "Device id.")
        String id;
        @Option(names = "--group", description = "Device group.")
        String group;
        @Option(names = "--tag", paramLabel = "K=V", description = "A tag; repeatable.")
        List<String> tags = List.of();

        @Override
        public Integer call() {
            Map<String, String> tagMap = new LinkedHashMap<>();
            for (String t : tags) {
                int eq = t.indexOf('=');
                if (eq < 1) {
                    throw new ParameterException(spec.commandLine(), "--tag must be KEY=VALUE, not '" + t + "'");
                }
                tagMap.put(t.substring(0, eq), t.substring(eq + 1));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("deviceId", id);
            if (group != null) {
                body.put("group", group);
            }
            body.put("tags", tagMap);
            return FleetCall.run(spec, connection, (client, out) -> {
                JsonNode r = client.post("/devices", body);
                if (connection.json()) {
                    ObjectNode shown = FleetCall.PRETTY.createObjectNode();
                    shown.set("deviceId", r.get("deviceId"));
                    shown.set("enrolToken", r.get("enrolToken"));
                    shown.set("expiresAt", r.get("expiresAt"));
                    FleetCall.printJson(out, shown);
                } else {
                    out.printf("registered %s; enrolment token (one use, expires %s):%n%s%n", r.get("deviceId").asText(),
                            r.get("expiresAt").asText(), r.get("enrolToken").asText());
                }
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List devices, optionally filtered.")
    static final class ListDevices implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Option(names = "--group", description = "Only this group.")
        String group;
        @Option(names = "--tag", paramLabel = "K=V", description = "Only devices with this tag.")
        String tag;
        @Option(names = "--online", arity = "0..1", fallbackValue = "true", description = "Only online (or with =false, offline) devices.")
        Boolean online;
        @Option(names = "--model", description = "Only devices reporting this model.")
        String model;
        @Option(names = "--model-version", description = "Only devices reporting this model version.")
        String modelVersion;

        @Override
        public Integer call() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("group", group);
            q.put("tag", tag);
            q.put("online", online == null ? null : online.toString());
            q.put("model", model);
            q.put("modelVersion", modelVersion);
            return FleetCall.run(spec, connection, client -> client.get(FleetClient.query("/devices", q)), table()::print);
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one device.")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, client -> client.get("/devices/" + FleetClient.segment(id)),
                    (out, d) -> table().print(out, List.of(d)));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a device and its MQTT credentials (admin).")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, client -> client.post("/devices/" + FleetClient.segment(id) + "/revoke",
                    Map.of()), (out, d) -> out.printf("revoked %s%n", d.get("deviceId").asText()));
        }
    }
}
