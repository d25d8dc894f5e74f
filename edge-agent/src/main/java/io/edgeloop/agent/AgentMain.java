package io.edgeloop.agent;

import io.edgeloop.agent.config.AgentConfigFile;
import io.edgeloop.agent.config.AgentOptions;
import io.edgeloop.agent.link.EnrolmentClient;
import io.edgeloop.agent.link.FleetEnrolment;
import io.edgeloop.agent.link.FleetLink;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.process.AgentReadyLine;
import io.edgeloop.protocol.ErrorCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The agent process: {@code AgentMain agent [--package PKG] [--http-port N] [--data-dir DIR]
 * [--pubkey KEY] [--config FILE]}. Settings come from the defaults, then {@code agent.yaml}, then
 * {@code EDGELOOP_AGENT_*} environment variables, then these options. Runs until SIGTERM/SIGINT,
 * then drains in-flight requests and exits.
 */
@Command(name = "edgeloop", subcommands = {AgentMain.AgentCommand.class}, mixinStandardHelpOptions = true,
        description = "EdgeLoop edge agent.")
public final class AgentMain {

    public static void main(String[] args) {
        System.exit(new CommandLine(new AgentMain()).execute(args));
    }

    /** {@code agent}: serve models from the store, optionally installing one package first. */
    @Command(name = "agent", mixinStandardHelpOptions = true,
            description = "Run the edge agent; --package FILE serves a package standalone, without a fleet server.")
    static final class AgentCommand implements Callable<Integer> {
        @Option(names = "--package", description = "A signed .elpkg package (or a bare .onnx model) to install, activate and serve.")
        Path packageFile;

        @Option(names = "--http-port", description = "HTTP port of the KServe v2 API (0 = any free port).")
        Integer httpPort;

        @Option(names = "--data-dir", description = "State directory: model store and RocksDB (default /var/lib/edgeloop).")
        Path dataDir;

        @Option(names = "--pubkey", description = "The package publisher's public key file.")
        Path publicKey;

        @Option(names = "--config", description = "YAML configuration (default /etc/edgeloop/agent.yaml when present).")
        Path config;

        @Option(names = "--model-name", description = "Name for a bare .onnx model (default: the file name).")
        String modelName;

        @Option(names = "--model-version", description = "Version for a bare .onnx model (default: 1).")
        String modelVersion;

        @Option(names = "--server", description = "Fleet server URL (e.g. http://fleet:8090) to enrol with.")
        String server;

        @Option(names = "--enrol-token", description = "One-time enrolment token (from 'edgeloop fleet devices enrol ID'); needed at the first start only.")
        String enrolToken;

        @Option(names = "--device-id", description = "The device id to enrol and report as (default: the config's, else the host name).")
        String deviceId;

        @Option(names = "--mqtt-url", description = "Broker URL to use instead of the one enrolment gave.")
        String mqttUrl;

        @Option(names = "--health-interval-seconds", description = "Also report health every N seconds (tests; the agent reports every 60 s anyway).")
        Integer healthIntervalSeconds;

        @Override
        public Integer call() {
            try {
                // An enrolled data directory reports as its device from the first line on, unless
                // --device-id names one (FleetJoin then refuses a mismatch).
                Agent agent = Agent.builder(options()).install(packageFile)
                        .installers(InstallerFactory.standard(modelName, modelVersion))
                        .keptDeviceId(deviceId == null ? FleetEnrolment::enrolledDeviceId : AgentBuilder.KeptDeviceId.NONE)
                        .start();
                FleetLink link;
                try {
                    boolean enrolled = FleetEnrolment.enrolledDeviceId(agent.state()).isPresent();
                    link = enrolled || server != null || enrolToken != null ? link(agent) : null;
                } catch (EdgeLoopException | RuntimeException e) {
                    agent.close();
                    throw e;
                }
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    if (link != null) {
                        link.close();
                    }
                    agent.close();
                    stopped.countDown();
                }, "agent-shutdown"));
                // Printed on stdout so a supervising process (tests, the demo) knows the port.
                System.out.println(agent.hasHttp() ? AgentReadyLine.format(agent.port()) : AgentReadyLine.WITHOUT_HTTP);
                System.out.flush();
                stopped.await();
                return 0;
            } catch (EdgeLoopException e) {
                System.err.println("edgeloop agent: " + e.describe());
                return 2;
            } catch (IllegalArgumentException e) {
                System.err.println("edgeloop agent: INVALID_ARGUMENT: " + e.getMessage());
                return 2;
            } catch (Exception e) {
                System.err.println("edgeloop agent: failed to start: " + e);
                e.printStackTrace();
                return 1;
            }
        }

        /** Enrols (once) and connects the agent to the fleet's broker. */
        private FleetLink link(Agent agent) throws EdgeLoopException {
            FleetJoin join = FleetJoin.of(server == null ? null : URI.create(server), enrolToken).withMqttUrl(mqttUrl);
            FleetLink link = join.connect(agent, agent.deviceProfile().id(), new EnrolmentClient(), null);
            if (healthIntervalSeconds != null && healthIntervalSeconds > 0) {
                java.util.concurrent.ScheduledExecutorService health = java.util.concurrent.Executors
                        .newSingleThreadScheduledExecutor(r -> {
                            Thread t = new Thread(r, "agent-health-report");
                            t.setDaemon(true);
                            return t;
                        });
                health.scheduleWithFixedDelay(agent::reportHealth, healthIntervalSeconds, healthIntervalSeconds,
                        java.util.concurrent.TimeUnit.SECONDS);
            }
            return link;
        }

        /** Defaults, then the file, then {@code EDGELOOP_AGENT_*}, then these options. */
        AgentOptions options() throws EdgeLoopException {
            Path file = config != null ? config : AgentConfigFile.DEFAULT_FILE;
            if (config != null && !config.toFile().exists()) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "config file " + config + " does not exist");
            }
            AgentOptions options = AgentConfigFile.load(file, System.getenv());
            if (httpPort != null) {
                options = options.withHttp(http -> http.withPort(httpPort));
            }
            if (dataDir != null) {
                options = options.withDataDir(dataDir);
            }
            if (publicKey != null) {
                options = options.withPublicKey(publicKey);
            }
            if (deviceId != null) {
                options = options.withDeviceId(deviceId);
            }
            return options;
        }
    }
}
