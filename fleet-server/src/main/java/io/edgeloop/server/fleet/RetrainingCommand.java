package io.edgeloop.server.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code edgeloop fleet retraining policy get|set|list}, {@code evaluate MODEL [--dry-run]},
 * {@code decisions [--model M]}, {@code decision ID}.
 */
@Command(name = "retraining", mixinStandardHelpOptions = true,
        description = "Retraining policies per model, evaluations and the decisions they recorded.",
        subcommands = {RetrainingCommand.Policy.class, RetrainingCommand.Evaluate.class, RetrainingCommand.Decisions.class,
                RetrainingCommand.Decision.class})
public final class RetrainingCommand {

    @Command(name = "policy", mixinStandardHelpOptions = true, description = "Read or set a model's retraining policy.",
            subcommands = {PolicyGet.class, PolicySet.class, PolicyList.class})
    static final class Policy {
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a model's policy (JSON).")
    static final class PolicyGet implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, (client, out) ->
                    FleetCall.printJson(out, client.get("/retraining/policies/" + FleetClient.segment(model))));
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set a model's policy from a JSON file (operator).")
    static final class PolicySet implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;
        @Parameters(index = "1", paramLabel = "FILE", description = "The policy JSON (README, Retraining).")
        Path file;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, (client, out) -> {
                JsonNode body = FleetCall.PRETTY.readTree(Files.readString(file));
                JsonNode stored = client.put("/retraining/policies/" + FleetClient.segment(model), body);
                if (connection.json()) {
                    FleetCall.printJson(out, stored);
                } else {
                    out.printf("policy of %s set (%s, %s)%n", model, stored.path("enabled").asBoolean() ? "enabled"
                            : "disabled", stored.path("dryRun").asBoolean() ? "dry run" : "acting");
                }
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the models with a policy.")
    static final class PolicyList implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, client -> client.get("/retraining/policies"),
                    (out, all) -> new Table().field("MODEL", "model").field("ENABLED", "enabled").field("DRY RUN", "dryRun")
                            .field("MIN DEVICES", "minDriftedDevices").field("COOLDOWN", "cooldown")
                            .field("UPDATED", "updatedAt").print(out, all));
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = "Evaluate a model's policy now and print the recorded decision (operator).")
    static final class Evaluate implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;
        @Option(names = "--dry-run", description = "Decide and record only, whatever the policy says.")
        boolean dryRun;

        @Override
        public Integer call() {
            String path = "/retraining/" + FleetClient.segment(model) + "/evaluate" + (dryRun ? "?dryRun=true" : "");
            return FleetCall.run(spec, connection, client -> client.post(path, Map.of()), RetrainingCommand::describe);
        }
    }

    @Command(name = "decisions", mixinStandardHelpOptions = true, description = "Recorded decisions, newest first.")
    static final class Decisions implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Option(names = "--model", description = "Only this model's.")
        String model;
        @Option(names = "--limit", description = "Most decisions (default 100).")
        Integer limit;

        @Override
        public Integer call() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("model", model);
            q.put("limit", limit == null ? null : limit.toString());
            return FleetCall.run(spec, connection, client -> client.get(FleetClient.query("/retraining/decisions", q)),
                    (out, all) -> new Table().field("ID", "id").field("AT", "at").field("MODEL", "model")
                            .field("ACTION", "action").field("DRY RUN", "dryRun").field("STATE", "state")
                            .column("DRIFTED", d -> d.path("figures").path("driftedDevices").size() + "")
                            .column("LABELS", d -> d.path("figures").path("labels").asText("-"))
                            .field("CANDIDATE", "candidateVersion").field("PACKAGE", "package")
                            .field("ROLLOUT", "rolloutId").print(out, all));
        }
    }

    @Command(name = "decision", mixinStandardHelpOptions = true, description = "One decision with its figures and progress.")
    static final class Decision implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, client -> client.get("/retraining/decisions/" + FleetClient.segment(id)),
                    RetrainingCommand::describe);
        }
    }

    static void describe(PrintWriter out, JsonNode d) {
        out.printf("%s %s %s%s: %s (%s)%n", d.path("id").asText(), d.path("model").asText(), d.path("action").asText(),
                d.path("dryRun").asBoolean() ? " (dry run)" : "", d.path("state").asText(), d.path("at").asText());
        d.path("reasons").forEach(r -> out.println("  - " + r.asText()));
        JsonNode gate = d.path("gate");
        if (gate.isObject()) {
            out.printf("  gate %s: %s%n", gate.path("passed").asBoolean() ? "passed" : "refused", gate.path("reason").asText());
        }
        for (String f : new String[] {"runId", "candidateVersion", "package", "rolloutId", "progress", "error"}) {
            if (d.hasNonNull(f)) {
                out.printf("  %s: %s%n", f, d.get(f).asText());
            }
        }
    }
}
