package io.edgeloop.agent.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * The shape of {@code agent.yaml}: plain values as an operator writes them. {@link AgentConfigLoader}
 * fills what the file leaves out from {@link #defaults()}, applies environment overrides, and
 * turns it into typed, validated {@link AgentOptions}.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record AgentConfig(String dataDir, String publicKey, String deviceId, String profile, Http http, Engine engine, Batch batch,
                          Store store, Buffer buffer, Drift drift, Shutdown shutdown) {

    /** HTTP API. */
    public record Http(String host, int port, long bodyLimitBytes) {
    }

    /** Inference engine settings; 0 threads or no engines mean the device profile's values. */
    public record Engine(int intraOpThreads, List<String> preferredEngines) {
    }

    /** Dynamic batching. */
    public record Batch(int maxBatch, long maxDelayMicros, int queueCapacity, int workers, boolean inlineWhenIdle) {
    }

    /** Model store. */
    public record Store(int keepPrevious) {
    }

    /** RocksDB buffer: WAL sync policy and capture retention; quota 0 means the device profile's. */
    public record Buffer(String sync, long syncIntervalMillis, double captureSampleRate, long captureQuotaBytes,
                         long captureMaxAgeHours) {
    }

    /** Drift windows, the family-wise false-alarm level and the accuracy estimate's range. */
    public record Drift(int windowSize, int minSamples, double alpha, double estimateShiftLimit, int feedbackCapacity) {
    }

    /** Graceful shutdown. */
    public record Shutdown(long drainTimeoutMillis) {
    }

    public static AgentConfig defaults() {
        return new AgentConfig(AgentOptions.DEFAULT_DATA_DIR, null, null, "",
                new Http(io.edgeloop.agent.api.ApiOptions.DEFAULT_HOST, io.edgeloop.agent.api.ApiOptions.DEFAULT_PORT,
                        io.edgeloop.agent.api.ApiOptions.DEFAULT_BODY_LIMIT_BYTES),
                new Engine(0, List.of()),
                new Batch(io.edgeloop.agent.batch.BatchOptions.DEFAULT_MAX_BATCH,
                        io.edgeloop.agent.batch.BatchOptions.DEFAULT_MAX_DELAY.toNanos() / 1000,
                        io.edgeloop.agent.batch.BatchOptions.DEFAULT_QUEUE_CAPACITY,
                        io.edgeloop.agent.batch.BatchOptions.DEFAULT_WORKERS,
                        io.edgeloop.agent.batch.BatchOptions.DEFAULT_INLINE_WHEN_IDLE),
                new Store(io.edgeloop.agent.store.StoreOptions.DEFAULT_KEEP_PREVIOUS),
                new Buffer(io.edgeloop.agent.buffer.BufferOptions.DEFAULT_SYNC.name(),
                        io.edgeloop.agent.buffer.BufferOptions.DEFAULT_SYNC_INTERVAL.toMillis(),
                        io.edgeloop.agent.buffer.BufferOptions.DEFAULT_CAPTURE_SAMPLE_RATE,
                        0L,
                        io.edgeloop.agent.buffer.BufferOptions.DEFAULT_CAPTURE_MAX_AGE.toHours()),
                new Drift(io.edgeloop.agent.drift.DriftOptions.DEFAULT_WINDOW_SIZE,
                        io.edgeloop.agent.drift.DriftOptions.DEFAULT_MIN_SAMPLES,
                        io.edgeloop.agent.drift.DriftOptions.DEFAULT_ALPHA,
                        io.edgeloop.agent.drift.DriftOptions.DEFAULT_ESTIMATE_SHIFT_LIMIT,
                        io.edgeloop.agent.drift.DriftOptions.DEFAULT_FEEDBACK_CAPACITY),
                new Shutdown(AgentOptions.DEFAULT_DRAIN_TIMEOUT.toMillis()));
    }
}
