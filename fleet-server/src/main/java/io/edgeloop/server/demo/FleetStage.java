package io.edgeloop.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.packageformat.sign.KeyPairFiles;
import io.edgeloop.server.fleet.FleetClient;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Demo stage 1: a signing key pair for the server, {@code edgeloop server} as its own process
 * (embedded broker and H2), and the devices: each registered over REST for a one-time enrolment
 * token ({@code edgeloop fleet devices enrol}), then started as {@code edgeloop agent --server URL
 * --enrol-token T --device-id D} with its own data folder, so each has its own MQTT login and
 * connection, RocksDB and model store. Done when the server sees every device online.
 */
final class FleetStage implements DemoStage {
    static final String GROUP = "demo";

    private final DemoSettings settings;
    private final Path root;

    FleetStage(DemoSettings settings, Path root) {
        this.settings = settings;
        this.root = root;
    }

    @Override
    public String title() {
        return "start the fleet server and " + settings.agents() + " edge agents as their own processes; enrol the agents";
    }

    @Override
    public void run(DemoContext context) throws Exception {
        PrintStream out = context.out();
        DemoFleet fleet = context.get(DemoKeys.FLEET);
        Path logs = Files.createDirectories(context.workDir().resolve("logs"));
        KeyPairFiles.Paths keys = KeyPairFiles.generate(context.workDir().resolve("keys"), "server-signing");
        out.printf("      signing key pair: %s (the server signs packages with it; agents get the public key at enrolment)%n",
                keys.privateKey());
        List<String> serverArgs = ServerArguments.of(keys, settings);
        fleet.server(ServerProcess.start(root, context.workDir().resolve("server-data"), serverArgs,
                logs.resolve("server.log"), fleet::track));
        FleetClient rest = fleet.rest();
        out.printf("      server: %s (process %d, log %s)%n", fleet.server().url(), fleet.server().pid(),
                logs.resolve("server.log"));
        Path config = Files.writeString(context.workDir().resolve("agent.yaml"), AgentConfig.yaml(settings));
        ExecutorService starter = Executors.newFixedThreadPool(settings.agents());
        try {
            List<Future<DemoFleet.Device>> starts = new ArrayList<>();
            for (int i = 0; i < settings.agents(); i++) {
                String id = DemoSettings.deviceId(i);
                JsonNode registered = rest.post("/devices", Map.of("deviceId", id, "group", GROUP));
                String token = registered.get("enrolToken").asText();
                int index = i;
                starts.add(starter.submit(() -> startAgent(context.workDir(), logs, config, fleet, id, index, token)));
            }
            for (Future<DemoFleet.Device> start : starts) {
                DemoFleet.Device d = started(start);
                out.printf("      agent %s: %s, ready in %d ms (process %d)%s%n", d.id(), d.client().base(),
                        d.process().readyMillis(), d.process().pid(), d.shifted() ? "; its camera changes later" : "");
            }
        } finally {
            starter.shutdownNow();
        }
        Waits.until(settings.stageTimeout(), "every device online at the server", () ->
                rest.get(FleetClient.query("/devices", Map.of("group", GROUP, "online", "true"))).size()
                        == settings.agents());
        out.printf("      the server sees %d devices online in group '%s', each enrolled with its own MQTT login%n",
                settings.agents(), GROUP);
    }

    /** The started device, or the reason its start failed as it was thrown. */
    private static DemoFleet.Device started(Future<DemoFleet.Device> start) throws Exception {
        try {
            return start.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private DemoFleet.Device startAgent(Path workDir, Path logs, Path config, DemoFleet fleet, String id, int index,
                                        String token) throws Exception {
        List<String> args = List.of("--config", config.toString(), "--http-port", "0",
                "--data-dir", workDir.resolve("agents").resolve(id).toString(),
                "--server", fleet.server().url(), "--enrol-token", token, "--device-id", id,
                "--health-interval-seconds", String.valueOf(AgentConfig.HEALTH_INTERVAL_SECONDS));
        AgentProcess process = AgentProcess.start(root, args, logs.resolve(id + ".log"), fleet::track);
        DemoFleet.Device device = new DemoFleet.Device(id, index, settings.isShifted(index), process,
                new AgentClient(process.port()));
        fleet.add(device);
        return device;
    }
}
