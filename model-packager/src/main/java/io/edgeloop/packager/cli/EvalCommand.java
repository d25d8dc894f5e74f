package io.edgeloop.packager.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.packager.eval.EvaluationReport;
import io.edgeloop.packager.eval.EvaluatorOptions;
import io.edgeloop.packager.eval.ModelEvaluator;
import io.edgeloop.packager.eval.ModelSource;
import io.edgeloop.packager.eval.PackageModelSource;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code edgeloop eval --model FILE --dataset SPEC [--json]}: accuracy (or regression error),
 * single-sample latency and batch-64 throughput of an ONNX model or of the package variant that
 * suits this machine. Progress goes to stderr so {@code --json} output stays one JSON object.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate an .onnx model or an .elpkg package on a dataset; metrics, latency and throughput.")
public final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "An .onnx model or an .elpkg package.")
    Path model;

    @Option(names = "--dataset", paramLabel = "SPEC", defaultValue = "fashion-mnist:test",
            description = "fashion-mnist:train, fashion-mnist:test or csv:PATH?label=COLUMN (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate the first N samples only.")
    Integer limit;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Intra-op threads for every run (default: ${DEFAULT-VALUE}; latency is reported per this count).")
    int threads;

    @Option(names = "--variant", paramLabel = "ID", description = "Evaluate this package variant instead of the one matching this machine.")
    String variant;

    private final DatasetLoader datasets;
    private final EvaluatorOptions evaluatorOptions;

    public EvalCommand(DatasetLoader datasets, EvaluatorOptions evaluatorOptions) {
        this.datasets = datasets;
        this.evaluatorOptions = evaluatorOptions;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(model)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "--model " + model + " does not exist or is not readable");
        }
        if (threads < 1 || (limit != null && limit < 1)) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "--threads and --limit must be at least 1");
        }
        ModelSource source = new PackageModelSource(variant);
        ModelSource.Resolved resolved = source.resolve(model);
        Dataset data = datasets.load(dataset);
        if (limit != null) {
            data = data.head(limit);
        }
        PrintStream progress = System.err;
        EvaluationReport report = new ModelEvaluator(evaluatorOptions.withThreads(threads), progress)
                .evaluate(resolved.model(), resolved.label(), resolved.variant(), data);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(report));
        } else {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        }
        out.flush();
        return 0;
    }
}
