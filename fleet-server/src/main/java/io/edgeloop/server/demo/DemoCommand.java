package io.edgeloop.server.demo;

import io.edgeloop.packager.data.DatasetLoader;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.server.fleet.FleetClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code edgeloop demo}: the closed loop on one machine with embedded defaults. It starts the fleet
 * server and the devices' agents as the processes users run, trains and rolls out v1, drives
 * traffic, changes the camera on some devices, lets the server's retraining policy react, rolls
 * out the retrained version and ends with a summary and the acceptance points (exit 0 only if all
 * hold). Every process it started is stopped at the end, on a failure and on Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole loop on embedded defaults: server + agents, train, roll out, drift, retrain, roll out again.")
public final class DemoCommand implements Callable<Integer> {
    /** What the demo owns in its work folder; cleared at the start of a run. */
    static final List<String> OWNED = List.of("server-data", "agents", "logs", "keys", "packages", "package", "agent.yaml");

    static final String RECOVERY_NOTE = "What recovers is the model: its output distribution and its estimated and"
            + " live accuracy on the shifted devices. Their input features (brightness, orientation) still differ from"
            + " the clean baseline v2's package carries, so the input tests keep flagging those windows: the camera"
            + " did change.";

    @Option(names = "--work-dir", description = "Where the demo writes its artifacts (default: ${DEFAULT-VALUE}).")
    Path workDir = Path.of("demo-output");

    @Override
    public Integer call() throws Exception {
        DatasetLoader datasets = DatasetLoader.fromEnvironment();
        if (!datasets.fashionMnistAvailable()) {
            System.err.printf("edgeloop demo: Fashion-MNIST is not in %s. Install it with 'sudo apt-get install"
                    + " dataset-fashion-mnist' (Debian), or set EDGELOOP_DATA to a folder holding"
                    + " fashion-mnist/*-ubyte.gz.%n", datasets.fashionMnistDir());
            return 2;
        }
        DemoSettings settings = DemoSettings.DEFAULT;
        Path dir = workDir.toAbsolutePath().normalize();
        clear(dir);
        DemoContext context = new DemoContext(dir, System.out);
        DemoFleet fleet = new DemoFleet();
        Thread hook = new Thread(fleet::close, "demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        context.put(DemoKeys.FLEET, fleet);
        context.put(DemoKeys.RECORD, new LoopRecord());
        context.put(DemoKeys.TEST, datasets.fashionMnist("test"));
        long t0 = System.nanoTime();
        try {
            List<DemoStage> stages = stages(settings, checkoutRoot());
            for (int i = 0; i < stages.size(); i++) {
                DemoStage stage = stages.get(i);
                context.out().printf("%n[%d/%d] %s%n", i + 1, stages.size(), stage.title());
                long start = System.nanoTime();
                try {
                    stage.run(context);
                } catch (Exception e) {
                    if (fleet.isClosed()) {
                        // Ctrl-C: the shutdown hook stopped the fleet under the running stage.
                        System.err.println("demo interrupted; every process it started is stopped");
                        return 130;
                    }
                    if (!(e instanceof EdgeLoopException || e instanceof StageFailure || e instanceof FleetClientException)) {
                        throw e;
                    }
                    // A stage failing for a reason a user can act on gets its sentence, not a stack trace.
                    System.err.printf("demo stage '%s' failed: %s%n", stage.title(), describe(e));
                    System.err.printf("logs: %s%n", dir.resolve("logs"));
                    return 1;
                }
                context.out().printf("      done in %.1f s (%.0f s since the start)%n", (System.nanoTime() - start) / 1e9,
                        (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            fleet.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs (and finds everything closed)
            }
        }
        Acceptance acceptance = context.get(SummaryStage.ACCEPTANCE);
        context.out().printf("%nDemo finished in %.0f s: %s. Artifacts and logs in %s%n", (System.nanoTime() - t0) / 1e9,
                acceptance.passed() ? "every acceptance point holds" : "an acceptance point FAILED (see above)", dir);
        return acceptance.passed() ? 0 : 1;
    }

    /** The stages in loop order. Wiring is explicit: add a stage here. */
    static List<DemoStage> stages(DemoSettings settings, Path root) {
        return List.of(
                new FleetStage(settings, root),
                new TrainStage(settings),
                new PublishStage(),
                new TrafficStage(settings),
                new RolloutStage(settings),
                new ObserveStage("traffic on the original cameras: every device's drift windows of v1", 1,
                        r -> r.version("v1").packageVersion, r -> r.version("v1").rolloutDoneMillis, settings, null),
                new PolicyStage(settings),
                new ShiftStage(),
                new ObserveStage("the shifted devices report drift (the server's telemetry, per device)", 2,
                        r -> r.version("v1").packageVersion, r -> r.shiftedAtMillis, settings, null),
                new DecisionStage(settings),
                new RetrainStage(settings),
                new ObserveStage("recovery: drift windows of v2 on every device", 2,
                        r -> r.version("v2").packageVersion, r -> r.version("v2").rolloutDoneMillis, settings, RECOVERY_NOTE),
                new SummaryStage());
    }

    private static String describe(Exception e) {
        if (e instanceof EdgeLoopException el) {
            return el.describe();
        }
        if (e instanceof FleetClientException f) {
            return f.code() + ": " + f.getMessage();
        }
        return e.getMessage();
    }

    /** Removes what an earlier run left in {@code dir} (only the demo's own entries). */
    private static void clear(Path dir) throws IOException {
        for (String name : OWNED) {
            Path p = dir.resolve(name);
            if (Files.exists(p)) {
                try (Stream<Path> all = Files.walk(p)) {
                    for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
        Files.createDirectories(dir);
    }

    /** The checkout the launcher runs from ({@code -Dedgeloop.home}); the server's and agents' jars are built there. */
    private static Path checkoutRoot() {
        return Path.of(System.getProperty("edgeloop.home", ".")).toAbsolutePath().normalize();
    }
}
