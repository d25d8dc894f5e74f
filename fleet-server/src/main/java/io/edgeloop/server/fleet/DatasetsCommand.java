package io.edgeloop.server.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code edgeloop fleet datasets import|list|get}: CSV datasets stored by the server after their PII rules. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "Import CSV datasets through PII rules (drop or hash per column), list and show them.",
        subcommands = {DatasetsCommand.Import.class, DatasetsCommand.ListDatasets.class, DatasetsCommand.Get.class})
public final class DatasetsCommand {

    static Table table() {
        return new Table().field("NAME", "name").field("LABEL", "label").field("ROWS", "rows")
                .column("COLUMNS", d -> String.valueOf(d.path("columns").size()))
                .column("RULES", DatasetsCommand::rules)
                .column("SHA256", d -> d.path("sha256").asText("").substring(0, Math.min(12, d.path("sha256").asText("").length())))
                .field("CREATED", "createdAt");
    }

    static String rules(JsonNode d) {
        List<String> out = new ArrayList<>();
        d.path("rules").fields().forEachRemaining(e -> out.add(e.getKey() + ":" + e.getValue().asText()));
        return out.isEmpty() ? "-" : String.join(",", out);
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import a CSV file (streamed); the server applies the PII rules before it stores anything.")
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;
        @Option(names = "--name", required = true, description = "The dataset's name; train on it as dataset:NAME.")
        String name;
        @Option(names = "--label", required = true, description = "The label column.")
        String label;
        @Option(names = "--task", description = "classification (default) or regression.")
        String task;
        @Option(names = "--group", description = "Group column for per-group metrics (may be hashed).")
        String group;
        @Option(names = "--pii", paramLabel = "COLUMN:drop|hash",
                description = "A PII rule (repeatable, or comma-separated): drop the column, or store its keyed hash.")
        List<String> pii = new ArrayList<>();

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(spec.commandLine(), file + " is not a file");
            }
            Map<String, String> q = new LinkedHashMap<>();
            q.put("name", name);
            q.put("label", label);
            q.put("task", task);
            q.put("group", group);
            q.put("pii", pii.isEmpty() ? null : String.join(",", pii));
            return FleetCall.run(spec, connection, client -> client.upload(FleetClient.query("/datasets", q), file, "text/csv"),
                    (out, d) -> out.printf("imported %s: %d rows, columns %s, rules %s (sha256 %s)%n", d.get("name").asText(),
                            d.get("rows").asInt(), columns(d), rules(d), d.get("sha256").asText()));
        }
    }

    static String columns(JsonNode d) {
        List<String> out = new ArrayList<>();
        d.path("columns").forEach(c -> out.add(c.path("name").asText() + "(" + c.path("role").asText().toLowerCase(java.util.Locale.ROOT) + ")"));
        return String.join(",", out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List stored datasets.")
    static final class ListDatasets implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, client -> client.get("/datasets"), table()::print);
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one dataset (with --json, its data-quality report).")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, client -> client.get("/datasets/" + FleetClient.segment(name)),
                    (out, d) -> table().print(out, List.of(d)));
        }
    }
}
