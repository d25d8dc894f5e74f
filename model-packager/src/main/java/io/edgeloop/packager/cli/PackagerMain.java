package io.edgeloop.packager.cli;

import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.packager.onnx.OnnxModel;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
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
                .addSubcommand(new PackCommand(PackagerMain::int8QuantizerNotBuilt, datasets))
                .addSubcommand(new InspectCommand())
                .addSubcommand(new VerifyCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof EdgeLoopException ele) {
                cmd.getErr().println(ele.describe());
                return EXIT_REFUSED;
            }
            throw e;
        });
        return cli;
    }

    /** Stands in until the quantize package's planner is wired in here. */
    private static OnnxModel int8QuantizerNotBuilt(OnnxModel fp32, Dataset calibration) throws EdgeLoopException {
        throw new EdgeLoopException(ErrorCode.QUANTIZATION_FAILED, "int8 quantization is not available in this build");
    }
}
