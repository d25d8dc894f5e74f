-- Telemetry over MQTT (fleet-mqtt): raw health and drift messages, de-duplicated by the agent's
-- per-stream sequence number; hourly aggregates that replace raw rows past their retention; the
-- state each device reports (birth, presence, last health and drift, the model version it runs:
-- the first active one of its last health or birth); counted ingest rejects.
-- Times are epoch milliseconds. Plain SQL that H2 (embedded) and PostgreSQL 15 both accept.

CREATE TABLE telemetry (
    device_id     VARCHAR(128) NOT NULL,
    stream        VARCHAR(16)  NOT NULL,
    seq           BIGINT       NOT NULL,
    ts_ms         BIGINT       NOT NULL,
    model_name    VARCHAR(128) NOT NULL,
    model_version VARCHAR(64)  NOT NULL,
    p95_micros    DOUBLE PRECISION,
    error_count   BIGINT,
    drifted       BOOLEAN,
    payload       TEXT         NOT NULL,
    ingested_by   VARCHAR(128) NOT NULL,
    received_ms   BIGINT       NOT NULL,
    PRIMARY KEY (device_id, stream, seq)
);

CREATE INDEX telemetry_by_model ON telemetry (model_name, model_version, stream, ts_ms);
CREATE INDEX telemetry_by_time ON telemetry (ts_ms);

CREATE TABLE telemetry_hourly (
    device_id      VARCHAR(128) NOT NULL,
    stream         VARCHAR(16)  NOT NULL,
    model_name     VARCHAR(128) NOT NULL,
    model_version  VARCHAR(64)  NOT NULL,
    hour_ms        BIGINT       NOT NULL,
    messages       BIGINT       NOT NULL,
    min_seq        BIGINT       NOT NULL,
    max_seq        BIGINT       NOT NULL,
    max_p95_micros DOUBLE PRECISION,
    error_count    BIGINT,
    drifted_count  BIGINT,
    PRIMARY KEY (device_id, stream, model_name, model_version, hour_ms)
);

CREATE TABLE device_state (
    device_id       VARCHAR(128) PRIMARY KEY,
    profile_id      VARCHAR(128),
    agent_version   VARCHAR(64),
    hardware        TEXT,
    models          TEXT,
    model_name      VARCHAR(128),
    model_version   VARCHAR(64),
    birth_ms        BIGINT,
    online          BOOLEAN      NOT NULL,
    status_reason   VARCHAR(256),
    status_ms       BIGINT,
    last_health     TEXT,
    last_health_seq BIGINT,
    last_health_ms  BIGINT,
    last_drift      TEXT,
    last_drift_seq  BIGINT,
    last_drift_ms   BIGINT
);

CREATE TABLE ingest_rejects (
    error_code VARCHAR(64) PRIMARY KEY,
    messages   BIGINT      NOT NULL,
    last_ms    BIGINT      NOT NULL,
    last_topic VARCHAR(512),
    last_error VARCHAR(1024)
);
