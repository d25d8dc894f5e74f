package io.edgeloop.simulator;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.topic.TopicSegments;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What {@code edgeloop simulate} runs, validated once by {@link #validate()}.
 *
 * @param server           the fleet server's base URL (REST: device registration and enrolment)
 * @param agents           how many agents to run
 * @param group            the group the devices are registered in, or null
 * @param tags             tags the devices are registered with
 * @param token            an operator (or admin) API token; needed while some agent is not enrolled yet
 * @param dataDir          one folder per agent under it (its RocksDB, model store, credentials): a
 *                         second run in the same folder restarts the same, already enrolled devices
 * @param idPrefix         device ids are {@code PREFIX-0000}, {@code PREFIX-0001}, ...
 * @param publicKey        the package publisher's public key, so the agents can install rollouts; or null
 * @param initialPackage   a signed package each new agent installs and serves before it joins; or null
 * @param trafficRps       inference requests per second and agent on its active models (0 = none)
 * @param trafficData      IDX image file (or {@code fashion-mnist:test}) the requests take their inputs
 *                         from; null: synthetic uniform inputs of each model's input shape
 * @param duration         how long to run before the summary; null: until Ctrl-C
 * @param progressInterval how often a progress line is printed
 * @param startThreads     agents started (and enrolled) at once
 * @param http             whether each agent also serves its KServe API (on a free loopback port)
 * @param shareSessions    whether agents loading the same model content share one engine session
 * @param profile          the device profile every agent runs as
 * @param mqttUrl          a broker URL replacing the one enrolment gives, or null
 * @param healthInterval   how often each agent reports health (what quality gates read); null: the
 *                         agent's own interval (60 s)
 */
public record SimulatorOptions(URI server, int agents, String group, Map<String, String> tags, String token, Path dataDir,
                               String idPrefix, Path publicKey, Path initialPackage, double trafficRps, String trafficData,
                               Duration duration, Duration progressInterval, int startThreads, boolean http,
                               boolean shareSessions, String profile, String mqttUrl, Duration healthInterval) {
    public static final String DEFAULT_ID_PREFIX = "sim";
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_START_THREADS = 4;
    public static final String DEFAULT_PROFILE = "generic-x86_64";

    public SimulatorOptions {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        idPrefix = idPrefix == null || idPrefix.isBlank() ? DEFAULT_ID_PREFIX : idPrefix.strip();
        progressInterval = progressInterval == null ? DEFAULT_PROGRESS_INTERVAL : progressInterval;
        profile = profile == null || profile.isBlank() ? DEFAULT_PROFILE : profile;
        token = token == null || token.isBlank() ? null : token.strip();
    }

    /** The defaults for {@code agents} agents against {@code server}, in {@code dataDir}. */
    public static SimulatorOptions of(URI server, int agents, String token, Path dataDir) {
        return new SimulatorOptions(server, agents, null, Map.of(), token, dataDir, DEFAULT_ID_PREFIX, null, null, 0, null,
                null, DEFAULT_PROGRESS_INTERVAL, DEFAULT_START_THREADS, false, true, DEFAULT_PROFILE, null, null);
    }

    public SimulatorOptions validate() throws EdgeLoopException {
        if (server == null || server.getScheme() == null || server.getHost() == null) {
            throw invalid("--server must be the fleet server's URL, e.g. http://fleet:8090, not " + server);
        }
        if (agents < 1 || agents > 100_000) {
            throw invalid("--agents must be in 1..100000, not " + agents);
        }
        if (dataDir == null) {
            throw invalid("--data-dir must be set");
        }
        if (!(trafficRps >= 0) || trafficRps > 1000) {
            throw invalid("--traffic must be 0..1000 requests per second and agent, not " + trafficRps);
        }
        if (startThreads < 1 || startThreads > 64) {
            throw invalid("--start-threads must be in 1..64, not " + startThreads);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw invalid("--duration must be positive");
        }
        if (healthInterval != null && healthInterval.toMillis() < 100) {
            throw invalid("--health-seconds must be at least 0.1");
        }
        if (progressInterval.toMillis() < 100) {
            throw invalid("--progress-seconds must be at least 0.1");
        }
        if (publicKey != null && !Files.isRegularFile(publicKey)) {
            throw invalid("--pubkey " + publicKey + " does not exist");
        }
        if (initialPackage != null && !Files.isRegularFile(initialPackage)) {
            throw invalid("--package " + initialPackage + " does not exist");
        }
        try {
            TopicSegments.checkDeviceId(deviceId(0));
        } catch (EdgeLoopException e) {
            throw invalid("--id-prefix makes device ids like '" + deviceId(0) + "': " + e.getMessage());
        }
        return this;
    }

    /** The id of agent {@code index}. */
    public String deviceId(int index) {
        return idPrefix + "-" + String.format("%04d", index);
    }

    /** The folder of agent {@code index}. */
    public Path agentDir(int index) {
        return dataDir.resolve(deviceId(index));
    }

    public SimulatorOptions withGroup(String g) {
        return new SimulatorOptions(server, agents, g, tags, token, dataDir, idPrefix, publicKey, initialPackage, trafficRps,
                trafficData, duration, progressInterval, startThreads, http, shareSessions, profile, mqttUrl, healthInterval);
    }

    public SimulatorOptions withTags(Map<String, String> t) {
        return new SimulatorOptions(server, agents, group, t, token, dataDir, idPrefix, publicKey, initialPackage, trafficRps,
                trafficData, duration, progressInterval, startThreads, http, shareSessions, profile, mqttUrl, healthInterval);
    }

    public SimulatorOptions withIdPrefix(String p) {
        return new SimulatorOptions(server, agents, group, tags, token, dataDir, p, publicKey, initialPackage, trafficRps,
                trafficData, duration, progressInterval, startThreads, http, shareSessions, profile, mqttUrl, healthInterval);
    }

    public SimulatorOptions withPublicKey(Path k) {
        return new SimulatorOptions(server, agents, group, tags, token, dataDir, idPrefix, k, initialPackage, trafficRps,
                trafficData, duration, progressInterval, startThreads, http, shareSessions, profile, mqttUrl, healthInterval);
    }

    public SimulatorOptions withInitialPackage(Path p) {
        return new SimulatorOptions(server, agents, group, tags, token, dataDir, idPrefix, publicKey, p, trafficRps,
                trafficData, duration, progressInterval, startThreads, http, shareSessions, profile, mqttUrl, healthInterval);
    }

    public SimulatorOptions withTraffic(double rps, String data) {
        return new SimulatorOptions(server, agents, group, tags, token, dataDir, idPrefix, publicKey, initialPackage, rps,
                data, duration, progressInterval, startThreads, http, shareSessions, profile, mqttUrl, healthInterval);
    }

    public SimulatorOptions withDuration(Duration d) {
        return new SimulatorOptions(server, agents, group, tags, token, dataDir, idPrefix, publicKey, initialPackage, trafficRps,
                trafficData, d, progressInterval, startThreads, http, shareSessions, profile, mqttUrl, healthInterval);
    }

    public SimulatorOptions withProgressInterval(Duration d) {
        return new SimulatorOptions(server, agents, group, tags, token, dataDir, idPrefix, publicKey, initialPackage, trafficRps,
                trafficData, duration, d, startThreads, http, shareSessions, profile, mqttUrl, healthInterval);
    }

    public SimulatorOptions withStartThreads(int n) {
        return new SimulatorOptions(server, agents, group, tags, token, dataDir, idPrefix, publicKey, initialPackage, trafficRps,
                trafficData, duration, progressInterval, n, http, shareSessions, profile, mqttUrl, healthInterval);
    }

    public SimulatorOptions withHttp(boolean on) {
        return new SimulatorOptions(server, agents, group, tags, token, dataDir, idPrefix, publicKey, initialPackage, trafficRps,
                trafficData, duration, progressInterval, startThreads, on, shareSessions, profile, mqttUrl, healthInterval);
    }

    public SimulatorOptions withShareSessions(boolean on) {
        return new SimulatorOptions(server, agents, group, tags, token, dataDir, idPrefix, publicKey, initialPackage, trafficRps,
                trafficData, duration, progressInterval, startThreads, http, on, profile, mqttUrl, healthInterval);
    }

    public SimulatorOptions withMqttUrl(String url) {
        return new SimulatorOptions(server, agents, group, tags, token, dataDir, idPrefix, publicKey, initialPackage, trafficRps,
                trafficData, duration, progressInterval, startThreads, http, shareSessions, profile, url, healthInterval);
    }

    public SimulatorOptions withHealthInterval(Duration d) {
        return new SimulatorOptions(server, agents, group, tags, token, dataDir, idPrefix, publicKey, initialPackage, trafficRps,
                trafficData, duration, progressInterval, startThreads, http, shareSessions, profile, mqttUrl, d);
    }

    private static EdgeLoopException invalid(String message) {
        return new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
