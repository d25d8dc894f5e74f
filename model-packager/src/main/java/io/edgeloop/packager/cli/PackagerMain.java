package io.edgeloop.packager.cli;

import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.packager.eval.EvaluatorOptions;
import io.edgeloop.packager.pkg.DenseInt8Quantizer;
import io.edgeloop.packager.pkg.PlannedInt8Quantizer;
import io.edgeloop.packager.quantize.PlanApplier;
import io.edgeloop.packager.quantize.PlanSelector;
import io.edgeloop.packager.quantize.PlannerOptions;
import io.edgeloop.packager.quantize.QuantizationPlanner;
import io.edgeloop.profiles.probe.LocalCpu;
import io.edgeloop.protocol.EdgeLoopException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point for the package tools: {@code edgeloop keygen|pack|inspect|verify|eval}. The
 * launcher passes the subcommand as the first argument. A failure with an {@link EdgeLoopException}
 * prints {@code CODE: sentence. advice} on stderr and exits {@value #EXIT_REFUSED}.
 */
@Command(name = "edgeloop", mixinStandardHelpOptions = true, version = "edgeloop 0.1.0",
        description = "Build, sign, inspect and verify EdgeLoop model packages.")
public final class PackagerMain {
    /** Exit status of a refused package or a failed command. */
    public static final int EXIT_REFUSED = 1;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit status (tests call this instead of main). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        DatasetLoader datasets = DatasetLoader.fromEnvironment();
        CommandLine cli = new CommandLine(new PackagerMain())
                .addSubcommand(new KeygenCommand())
                .addSubcommand(new PackCommand(
                        new PlannedInt8Quantizer(new QuantizationPlanner(PlannerOptions.DEFAULT, PlanSelector.measureAll(),
                                new PlanApplier(LocalCpu.get().features().needsReducedInt8Range()), System.err)),
                        new DenseInt8Quantizer(PlannerOptions.DEFAULT.calibration(), System.err), datasets))
                .addSubcommand(new InspectCommand())
                .addSubcommand(new VerifyCommand())
                .addSubcommand(new EvalCommand(datasets, EvaluatorOptions.DEFAULT));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof EdgeLoopException ele) {
                cmd.getErr().println(ele.describe());
                return EXIT_REFUSED;
            }
            throw e;
        });
        return cli;
    }
}
