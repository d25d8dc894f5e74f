package io.edgeloop.server.registry;

import io.edgeloop.server.access.Actor;
import io.edgeloop.server.access.Role;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.evaluation.OnnxHoldoutEvaluator;
import io.edgeloop.server.tracking.RunRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code edgeloop models list [NAME] | register NAME RUN_ID | promote NAME VERSION STAGE | decisions NAME}:
 * the model registry. Promoting a candidate runs the evaluation gate on {@code --holdout}.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List, register and promote model versions (promotion passes the evaluation gate).")
public final class ModelsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", description = "list, register, promote or decisions")
    String action;

    @Parameters(index = "1..*", arity = "0..3", description = "NAME, then RUN_ID (register) or VERSION STAGE (promote)")
    String[] args = new String[0];

    @Option(names = "--data-dir", description = "Server data folder (default: ${DEFAULT-VALUE}).")
    Path dataDir = Database.DEFAULT_DATA_DIR;

    @Option(names = "--holdout", description = "Holdout dataset for the gate (default: ${DEFAULT-VALUE}).")
    String holdout = "fashion-mnist:test";

    @Option(names = "--tolerance", description = "Accuracy a candidate may lose against production (default: 0.005).")
    double tolerance = EvaluationGate.Options.DEFAULT_TOLERANCE;

    /** Who a promotion from this command is audited as: the local user, with the data folder's full rights. */
    private static final Actor LOCAL_USER = new Actor("local:" + System.getProperty("user.name"),
            "edgeloop models (" + System.getProperty("user.name") + ")", Role.ADMIN);

    @Override
    public Integer call() throws Exception {
        try (Database db = Database.embedded(dataDir)) {
            ModelRegistry registry = new ModelRegistry(new ModelVersionRepository(db),
                    new EvaluationGate(new EvaluationGate.Options(tolerance), new OnnxHoldoutEvaluator()));
            Object answer = switch (action) {
                case "list" -> args.length == 0 ? registry.all() : registry.versions(args[0]);
                case "register" -> registry.register(arg(0), new RunRepository(db).get(arg(1)));
                case "promote" -> registry.promote(LOCAL_USER, arg(0), Integer.parseInt(arg(1)), ModelStage.parse(arg(2)),
                        DatasetLoader.fromEnvironment().load(holdout));
                case "decisions" -> registry.decisions(arg(0));
                default -> throw new IllegalArgumentException("unknown action '" + action
                        + "'; use list, register, promote or decisions");
            };
            System.out.println(JSON.writeValueAsString(answer));
            return 0;
        } catch (EdgeLoopException e) {
            System.err.println("edgeloop models: " + e.describe());
            return 1;
        } catch (IllegalArgumentException e) {
            System.err.println("edgeloop models: " + e.getMessage());
            return 2;
        }
    }

    private String arg(int i) {
        if (args.length <= i) {
            throw new IllegalArgumentException(action + " needs " + (i + 1) + " argument(s); see --help");
        }
        return args[i];
    }
}
