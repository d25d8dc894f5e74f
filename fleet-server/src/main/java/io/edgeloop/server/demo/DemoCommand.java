package io.edgeloop.server.demo;

import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.publish.ServerQuantizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code edgeloop demo}: runs every stage of the loop that exists, in order, on embedded defaults,
 * and says which stages of the loop (README.md, "Architecture") are still to come.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole loop on embedded defaults and print what each stage measured.")
public final class DemoCommand implements Callable<Integer> {

    /** Stages of the loop (README.md, "Architecture") not built yet; each later issue moves its entry into stages(). */
    static final List<String> COMING = List.of(
            "roll out over MQTT with health gates; retrain on drift");

    @Option(names = "--work-dir", description = "Where the demo writes its artifacts (default: ${DEFAULT-VALUE}).")
    Path workDir = Path.of("demo-output");

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(workDir);
        DemoContext context = new DemoContext(workDir.toAbsolutePath(), System.out);
        List<DemoStage> stages = stages();
        int total = stages.size() + COMING.size();
        int index = 0;
        for (DemoStage stage : stages) {
            index++;
            context.out().printf("%n[%d/%d] %s%n", index, total, stage.title());
            long start = System.nanoTime();
            try {
                stage.run(context);
            } catch (EdgeLoopException e) {
                // A stage failing for a reason a user can fix gets the code and advice, not a stack trace.
                System.err.printf("demo stage '%s' failed: %s%n", stage.title(), e.describe());
                return 1;
            }
            context.out().printf("      done in %.1f s%n", (System.nanoTime() - start) / 1e9);
        }
        for (String coming : COMING) {
            index++;
            context.out().printf("%n[%d/%d] %s: not built yet%n", index, total, coming);
        }
        context.out().printf("%nDemo finished: %d stages ran, %d to come. Artifacts in %s%n",
                stages.size(), COMING.size(), context.workDir());
        return 0;
    }

    /** The stages that exist, in loop order. Wiring is explicit: add a stage here. */
    static List<DemoStage> stages() {
        DatasetLoader datasets = DatasetLoader.fromEnvironment();
        return List.of(new ProbeStage(), new TrainStage(),
                new PackageStage(TrainStage.MODEL_ONNX, ServerQuantizers.planned(System.out),
                        ServerQuantizers.denseFallback(System.out), datasets),
                new ServeStage(datasets));
    }
}
