package io.edgeloop.server.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code edgeloop runs list|show ID|compare A B}: the tracked training runs, as JSON. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List, show and compare training runs.")
public final class RunsCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", description = "list, show or compare")
    String action;

    @Parameters(index = "1..*", arity = "0..2", description = "run id(s)")
    String[] ids = new String[0];

    @Option(names = "--data-dir", description = "Server data folder (default: ${DEFAULT-VALUE}).")
    Path dataDir = Database.DEFAULT_DATA_DIR;

    @Override
    public Integer call() throws Exception {
        try (Database db = Database.embedded(dataDir)) {
            RunRepository runs = new RunRepository(db);
            Object answer = switch (action) {
                case "list" -> runs.list().stream().map(r -> String.format("%s  %-9s  %-24s  %-5s  accuracy %s  %s",
                        r.id(), r.status(), r.dataset(), r.parameters().get("model"),
                        r.metrics().getOrDefault("test_accuracy", "-"), r.startedAt())).toList();
                case "show" -> runs.get(id(0));
                case "compare" -> RunComparison.of(runs.get(id(0)), runs.get(id(1)));
                default -> throw new IllegalArgumentException("unknown action '" + action + "'; use list, show or compare");
            };
            if (answer instanceof java.util.List<?> lines) {
                lines.forEach(System.out::println);
            } else {
                System.out.println(JSON.writeValueAsString(answer));
            }
            return 0;
        } catch (EdgeLoopException e) {
            System.err.println("edgeloop runs: " + e.describe());
            return 1;
        } catch (IllegalArgumentException e) {
            System.err.println("edgeloop runs: " + e.getMessage());
            return 2;
        }
    }

    private String id(int i) {
        if (ids.length <= i) {
            throw new IllegalArgumentException(action + " needs " + (i + 1) + " run id(s)");
        }
        return ids[i];
    }
}
