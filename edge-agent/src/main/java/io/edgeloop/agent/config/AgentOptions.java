package io.edgeloop.agent.config;

import io.edgeloop.agent.api.ApiOptions;
import io.edgeloop.agent.batch.BatchOptions;
import io.edgeloop.agent.buffer.BufferOptions;
import io.edgeloop.agent.buffer.CaptureOptions;
import io.edgeloop.agent.drift.DriftOptions;
import io.edgeloop.agent.engine.EngineOptions;
import io.edgeloop.agent.store.StoreOptions;
import io.edgeloop.profiles.catalog.DeviceProfile;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Every setting of an agent, one immutable record with one nested record per component. Its
 * components are the keys of {@code agent.yaml} ({@link AgentConfigFile} binds the file and the
 * {@code EDGELOOP_AGENT_*} overrides onto it, generically), so a new setting is a component with
 * its {@code DEFAULT_*} constant and a wither, and nothing else. {@link #validate()} runs once
 * when an agent starts.
 *
 * <pre>{@code
 * AgentOptions options = AgentOptions.DEFAULT.withDataDir(dir).withDeviceId("sim-7")
 *         .withHttp(http -> http.withEnabled(false));
 * }</pre>
 *
 * @param dataDir   state directory: the model store in {@code models/}, RocksDB in {@code db/}
 * @param publicKey the package publisher's public key file, or null (packages then cannot be
 *                  installed)
 * @param deviceId  the id this agent reports under; null or empty means this host's name
 * @param profile   device profile id from the catalog; null or empty means detect from the hardware
 */
public record AgentOptions(Path dataDir, Path publicKey, String deviceId, String profile, ApiOptions http,
                           EngineOptions engine, BatchOptions batch, StoreOptions store, BufferOptions buffer,
                           CaptureOptions capture, DriftOptions drift, ShutdownOptions shutdown) {
    public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/edgeloop");
    public static final Path DEFAULT_PUBLIC_KEY = null;
    public static final String DEFAULT_DEVICE_ID = "";
    public static final String DEFAULT_PROFILE = "";

    public static final AgentOptions DEFAULT = new AgentOptions(DEFAULT_DATA_DIR, DEFAULT_PUBLIC_KEY, DEFAULT_DEVICE_ID,
            DEFAULT_PROFILE, ApiOptions.DEFAULT, EngineOptions.FROM_DEVICE_PROFILE, BatchOptions.DEFAULT,
            StoreOptions.DEFAULT, BufferOptions.DEFAULT, CaptureOptions.DEFAULT, DriftOptions.DEFAULT, ShutdownOptions.DEFAULT);

    /** A section left empty in a file (or null in code) means its defaults. */
    public AgentOptions {
        dataDir = dataDir == null ? null : dataDir.toAbsolutePath();
        publicKey = publicKey == null || publicKey.toString().isEmpty() ? null : publicKey;
        deviceId = deviceId == null ? "" : deviceId.strip();
        profile = profile == null ? "" : profile.strip();
        http = Objects.requireNonNullElse(http, ApiOptions.DEFAULT);
        engine = Objects.requireNonNullElse(engine, EngineOptions.FROM_DEVICE_PROFILE);
        batch = Objects.requireNonNullElse(batch, BatchOptions.DEFAULT);
        store = Objects.requireNonNullElse(store, StoreOptions.DEFAULT);
        buffer = Objects.requireNonNullElse(buffer, BufferOptions.DEFAULT);
        capture = Objects.requireNonNullElse(capture, CaptureOptions.DEFAULT);
        drift = Objects.requireNonNullElse(drift, DriftOptions.DEFAULT);
        shutdown = Objects.requireNonNullElse(shutdown, ShutdownOptions.DEFAULT);
    }

    /** Checks every setting; the exception names the first bad one by its {@code agent.yaml} key. */
    public AgentOptions validate() throws EdgeLoopException {
        if (dataDir == null) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "dataDir must be set");
        }
        if (!deviceId.isEmpty() && !deviceId.matches("[^/+#\\s]+")) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "deviceId is an MQTT topic level and must not hold '/',"
                    + " '+', '#' or white space, not '" + deviceId + "'");
        }
        http.validate("http");
        engine.validate("engine");
        batch.validate("batch");
        store.validate("store");
        buffer.validate("buffer");
        capture.validate("capture");
        drift.validate("drift");
        shutdown.validate("shutdown");
        return this;
    }

    /** The settings left to the device profile (threads, engines, capture quota), filled from {@code device}. */
    public AgentOptions resolvedFor(DeviceProfile device) {
        return withEngine(engine.orProfile(device.intraOpThreads(), device.preferredEngines()))
                .withBuffer(buffer.orProfileQuota(device.captureBufferQuotaBytes()));
    }

    /** The model store's directory. */
    public Path storeDir() {
        return dataDir.resolve("models");
    }

    /** The RocksDB directory. */
    public Path dbDir() {
        return dataDir.resolve("db");
    }

    public AgentOptions withDataDir(Path dataDir) {
        return new AgentOptions(dataDir, publicKey, deviceId, profile, http, engine, batch, store, buffer, capture, drift, shutdown);
    }

    public AgentOptions withPublicKey(Path publicKey) {
        return new AgentOptions(dataDir, publicKey, deviceId, profile, http, engine, batch, store, buffer, capture, drift, shutdown);
    }

    public AgentOptions withDeviceId(String deviceId) {
        return new AgentOptions(dataDir, publicKey, deviceId, profile, http, engine, batch, store, buffer, capture, drift, shutdown);
    }

    public AgentOptions withProfile(String profile) {
        return new AgentOptions(dataDir, publicKey, deviceId, profile, http, engine, batch, store, buffer, capture, drift, shutdown);
    }

    public AgentOptions withHttp(ApiOptions http) {
        return new AgentOptions(dataDir, publicKey, deviceId, profile, http, engine, batch, store, buffer, capture, drift, shutdown);
    }

    public AgentOptions withHttp(UnaryOperator<ApiOptions> change) {
        return withHttp(change.apply(http));
    }

    public AgentOptions withEngine(EngineOptions engine) {
        return new AgentOptions(dataDir, publicKey, deviceId, profile, http, engine, batch, store, buffer, capture, drift, shutdown);
    }

    public AgentOptions withEngine(UnaryOperator<EngineOptions> change) {
        return withEngine(change.apply(engine));
    }

    public AgentOptions withBatch(BatchOptions batch) {
        return new AgentOptions(dataDir, publicKey, deviceId, profile, http, engine, batch, store, buffer, capture, drift, shutdown);
    }

    public AgentOptions withBatch(UnaryOperator<BatchOptions> change) {
        return withBatch(change.apply(batch));
    }

    public AgentOptions withStore(StoreOptions store) {
        return new AgentOptions(dataDir, publicKey, deviceId, profile, http, engine, batch, store, buffer, capture, drift, shutdown);
    }

    public AgentOptions withStore(UnaryOperator<StoreOptions> change) {
        return withStore(change.apply(store));
    }

    public AgentOptions withBuffer(BufferOptions buffer) {
        return new AgentOptions(dataDir, publicKey, deviceId, profile, http, engine, batch, store, buffer, capture, drift, shutdown);
    }

    public AgentOptions withBuffer(UnaryOperator<BufferOptions> change) {
        return withBuffer(change.apply(buffer));
    }

    public AgentOptions withCapture(CaptureOptions capture) {
        return new AgentOptions(dataDir, publicKey, deviceId, profile, http, engine, batch, store, buffer, capture, drift, shutdown);
    }

    public AgentOptions withCapture(UnaryOperator<CaptureOptions> change) {
        return withCapture(change.apply(capture));
    }

    public AgentOptions withDrift(DriftOptions drift) {
        return new AgentOptions(dataDir, publicKey, deviceId, profile, http, engine, batch, store, buffer, capture, drift, shutdown);
    }

    public AgentOptions withDrift(UnaryOperator<DriftOptions> change) {
        return withDrift(change.apply(drift));
    }

    public AgentOptions withShutdown(ShutdownOptions shutdown) {
        return new AgentOptions(dataDir, publicKey, deviceId, profile, http, engine, batch, store, buffer, capture, drift, shutdown);
    }

    public AgentOptions withShutdown(UnaryOperator<ShutdownOptions> change) {
        return withShutdown(change.apply(shutdown));
    }
}
