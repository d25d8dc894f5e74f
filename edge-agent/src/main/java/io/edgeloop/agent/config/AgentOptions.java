package io.edgeloop.agent.config;

import io.edgeloop.agent.api.ApiOptions;
import io.edgeloop.agent.batch.BatchOptions;
import io.edgeloop.agent.buffer.BufferOptions;
import io.edgeloop.agent.buffer.SyncPolicy;
import io.edgeloop.agent.drift.DriftOptions;
import io.edgeloop.agent.engine.EngineOptions;
import io.edgeloop.agent.store.StoreOptions;

import io.edgeloop.profiles.catalog.DeviceProfile;

import java.nio.file.Path;
import java.util.List;
import java.time.Duration;

/**
 * Every component's options, typed and validated once at start-up from {@link AgentConfig}.
 *
 * @param publicKey the package publisher's public key file, or null (packages then cannot be
 *                  installed)
 */
public record AgentOptions(Path dataDir, Path publicKey, String deviceId, DeviceProfile profile, ApiOptions api, EngineOptions engine,
                           BatchOptions batch, StoreOptions store, BufferOptions buffer, DriftOptions drift,
                           Duration drainTimeout) {
    public static final String DEFAULT_DATA_DIR = "/var/lib/edgeloop";
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Converts and validates; settings left at 0 or empty take the device profile's value.
     * Throws IllegalArgumentException naming the bad setting.
     */
    public static AgentOptions from(AgentConfig c, DeviceProfile profile) {
        int threads = c.engine().intraOpThreads() > 0 ? c.engine().intraOpThreads()
                : Math.max(1, Math.min(profile.intraOpThreads(), Runtime.getRuntime().availableProcessors()));
        List<String> engines = !c.engine().preferredEngines().isEmpty() ? c.engine().preferredEngines()
                : profile.preferredEngines();
        long quota = c.buffer().captureQuotaBytes() > 0 ? c.buffer().captureQuotaBytes()
                : profile.captureBufferQuotaBytes() > 0 ? profile.captureBufferQuotaBytes()
                : BufferOptions.DEFAULT_CAPTURE_QUOTA_BYTES;
        Path dataDir = Path.of(c.dataDir()).toAbsolutePath();
        SyncPolicy sync;
        try {
            sync = SyncPolicy.valueOf(c.buffer().sync().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("buffer.sync must be ALWAYS, INTERVAL or NEVER, not '" + c.buffer().sync() + "'");
        }
        return new AgentOptions(dataDir, c.publicKey() == null ? null : Path.of(c.publicKey()), c.deviceId(), profile,
                new ApiOptions(c.http().host(), c.http().port(), c.http().bodyLimitBytes()),
                new EngineOptions(threads, engines),
                new BatchOptions(c.batch().maxBatch(), Duration.ofNanos(c.batch().maxDelayMicros() * 1000),
                        c.batch().queueCapacity(), c.batch().workers(), c.batch().inlineWhenIdle()),
                new StoreOptions(dataDir.resolve("models"), c.store().keepPrevious()),
                new BufferOptions(dataDir.resolve("db"), sync, Duration.ofMillis(c.buffer().syncIntervalMillis()),
                        c.buffer().captureSampleRate(), quota,
                        Duration.ofHours(c.buffer().captureMaxAgeHours())),
                new DriftOptions(c.drift().windowSize(), c.drift().minSamples(), c.drift().alpha(),
                        c.drift().estimateShiftLimit(), c.drift().feedbackCapacity()),
                Duration.ofMillis(c.shutdown().drainTimeoutMillis()));
    }
}
