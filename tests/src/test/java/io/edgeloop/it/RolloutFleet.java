package io.edgeloop.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.agent.Agent;
import io.edgeloop.bench.fleet.FleetRest;
import io.edgeloop.bench.fleet.MosquittoProcess;
import io.edgeloop.server.FleetServer;
import io.edgeloop.server.FleetServerOptions;
import io.edgeloop.server.broker.MosquittoFiles;
import io.edgeloop.server.broker.ServerMqttLogin;
import io.edgeloop.simulator.SimulatedFleet;
import io.edgeloop.simulator.SimulatorOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fleet for the rollout ITs: the real fleet server in this JVM (its MQTT half on the embedded
 * broker, or on a real Mosquitto process whose files it writes) trusting the test publisher key,
 * devices of one group registered over REST, most of them agents of the fleet simulator in this
 * JVM and some separate agent processes; each starts serving {@code initial}. Knows which
 * version every device serves now.
 */
final class RolloutFleet implements AutoCloseable {
    static final String GROUP = "rollout";

    final FleetServer server;
    final FleetRest rest;
    final SimulatedFleet simulated;
    final Map<String, AgentProcess> processes = new LinkedHashMap<>();
    private final MosquittoProcess mosquitto;

    private RolloutFleet(FleetServer server, FleetRest rest, SimulatedFleet simulated, MosquittoProcess mosquitto) {
        this.server = server;
        this.rest = rest;
        this.simulated = simulated;
        this.mosquitto = mosquitto;
    }

    /** What the fleet is made of. */
    record Spec(int inJvm, int processes, Path publicKey, Path initial, double trafficRps, Duration healthInterval,
                List<String> processArgs, ThrottledProxy downloads) {
        static Spec of(int inJvm, int processes, Path publicKey, Path initial) {
            return new Spec(inJvm, processes, publicKey, initial, 0, null, List.of(), null);
        }

        Spec withTraffic(double rps, Duration health) {
            return new Spec(inJvm, processes, publicKey, initial, rps, health, processArgs, downloads);
        }

        /** Job documents' download links go through {@code proxy} (which then forwards to the server). */
        Spec withDownloadsThrough(ThrottledProxy proxy) {
            return new Spec(inJvm, processes, publicKey, initial, trafficRps, healthInterval, processArgs, proxy);
        }
    }

    /**
     * Starts the server ({@code mosquittoDir} null: embedded broker), then the agents, and waits
     * until all are online in the server's device list.
     */
    static RolloutFleet start(Path dir, Path mosquittoDir, Spec spec) throws Exception {
        MosquittoProcess mosquitto = null;
        FleetServer server = null;
        SimulatedFleet simulated = null;
        List<AgentProcess> started = new ArrayList<>();
        try {
            FleetServerOptions options = FleetServerOptions.embedded(dir.resolve("server"), 0, 0)
                    .withTrustedKeys(List.of(spec.publicKey()));
            if (mosquittoDir != null) {
                mosquitto = new MosquittoProcess(mosquittoDir);
                options = options.withExternalBroker(mosquitto.url(), mosquitto.filesDir(), mosquitto.pidFile());
                // Mosquitto needs its files before it starts; the server keeps them from then on.
                new MosquittoFiles(mosquitto.filesDir(), null).write(
                        ServerMqttLogin.loadOrCreate(options.mqtt().serverPasswordFile()).account(), List.of());
                mosquitto.start();
            }
            if (spec.downloads() != null) {
                options = options.withAdvertisedHttpUrl(spec.downloads().url());
            }
            server = FleetServer.start(options, FleetServer.Plugins.defaults().withMqtt());
            if (spec.downloads() != null) {
                spec.downloads().target(server.httpPort());
            }
            String base = "http://127.0.0.1:" + server.httpPort();
            FleetRest rest = new FleetRest(base, Files.readString(server.adminTokenFile()).strip());
            if (spec.inJvm() > 0) {
                SimulatorOptions sim = SimulatorOptions.of(URI.create(base), spec.inJvm(), rest.token(), dir.resolve("sim"))
                        .withGroup(GROUP).withPublicKey(spec.publicKey()).withInitialPackage(spec.initial())
                        .withTraffic(spec.trafficRps(), null).withHealthInterval(spec.healthInterval());
                simulated = SimulatedFleet.start(sim);
            }
            RolloutFleet fleet = new RolloutFleet(server, rest, simulated, mosquitto);
            for (int i = 0; i < spec.processes(); i++) {
                String id = "proc-" + i;
                String token = rest.register(id, GROUP);
                List<String> args = new ArrayList<>(List.of("--package", spec.initial().toString(), "--server", base,
                        "--enrol-token", token, "--health-interval-seconds", "1"));
                args.addAll(spec.processArgs());
                AgentProcess p = AgentProcess.start(InJvmAgents.options(dir.resolve(id), id, spec.publicKey()), args,
                        List.of("-Xmx160m"));
                started.add(p);
                fleet.processes.put(id, p);
            }
            int total = spec.inJvm() + spec.processes();
            // Generous: on a loaded machine an agent's first MQTT connect can fail and back off (full verify: 19 of 20 in 90 s).
            FleetTelemetryIT.waitFor(180, () -> rest.devices("?online=true&group=" + GROUP).size() == total,
                    () -> "online: " + rest.devices("?online=true&group=" + GROUP).size() + " of " + total);
            return fleet;
        } catch (Exception | Error e) {
            for (AgentProcess p : started) {
                p.close();
            }
            if (simulated != null) {
                simulated.close();
            }
            if (server != null) {
                server.close();
            }
            if (mosquitto != null) {
                mosquitto.close();
            }
            throw e;
        }
    }

    /** Every device id, the simulated ones first. */
    List<String> deviceIds() {
        List<String> ids = new ArrayList<>();
        if (simulated != null) {
            simulated.agents().forEach(a -> ids.add(a.deviceId()));
        }
        ids.addAll(processes.keySet());
        return ids;
    }

    /** The version of {@code model} that {@code deviceId} serves now (asked of the agent itself), or null. */
    String served(String deviceId, String model) {
        AgentProcess p = processes.get(deviceId);
        if (p != null) {
            try {
                var r = p.get("/v2/models/" + model);
                return r.statusCode() == 200 ? FleetRest.JSON.readTree(r.body()).path("versions").path(0).asText(null) : null;
            } catch (Exception e) {
                return null;
            }
        }
        try {
            Agent agent = simulated.agent(deviceId);
            return agent.registry().activeVersions().get(model);
        } catch (Exception e) {
            return null;
        }
    }

    /** Devices per served version of {@code model}, e.g. {@code {1.0.0=2, 1.1.0=18}}. */
    Map<String, Integer> servedVersions(String model) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (String id : deviceIds()) {
            counts.merge(String.valueOf(served(id, model)), 1, Integer::sum);
        }
        return counts;
    }

    /** Executions of {@code rolloutId} by device. */
    Map<String, JsonNode> executionsByDevice(String rolloutId) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode e : rest.executions(rolloutId)) {
            out.put(e.path("deviceId").asText(), e);
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        for (AgentProcess p : processes.values()) {
            p.close();
        }
        if (simulated != null) {
            simulated.close();
        }
        server.close();
        if (mosquitto != null) {
            mosquitto.close();
        }
    }
}
