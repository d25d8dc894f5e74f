-- Retraining (Contract 3): one policy per model, every decision the policy took with its figures
-- (JSON) and where the retraining it started got to, and the lineage of each training set it
-- built: the datasets (spec and sha256) and which captures of which device went into the training
-- part and the drifted holdout. Times are epoch milliseconds. Plain SQL that H2 (embedded) and
-- PostgreSQL 15 both accept.

CREATE TABLE retraining_policies (
    model_name VARCHAR(128) PRIMARY KEY,
    policy     TEXT         NOT NULL,
    enabled    BOOLEAN      NOT NULL,
    updated_ms BIGINT       NOT NULL,
    updated_by VARCHAR(128) NOT NULL
);

CREATE TABLE retraining_decisions (
    id                 VARCHAR(32)  PRIMARY KEY,
    model_name         VARCHAR(128) NOT NULL,
    decided_ms         BIGINT       NOT NULL,
    dry_run            BOOLEAN      NOT NULL,
    action             VARCHAR(16)  NOT NULL,
    state              VARCHAR(16)  NOT NULL,
    triggered_by       VARCHAR(128) NOT NULL,
    worker             VARCHAR(128),
    reasons            TEXT         NOT NULL,
    blockers           TEXT         NOT NULL,
    figures            TEXT         NOT NULL,
    policy             TEXT         NOT NULL,
    production_version INTEGER,
    run_id             VARCHAR(64),
    candidate_version  INTEGER,
    gate               TEXT,
    package_name       VARCHAR(128),
    package_version    VARCHAR(64),
    rollout_id         VARCHAR(32),
    progress           VARCHAR(1024),
    error              VARCHAR(2048),
    updated_ms         BIGINT       NOT NULL
);

CREATE INDEX retraining_decisions_by_model ON retraining_decisions (model_name, decided_ms);
CREATE INDEX retraining_decisions_by_state ON retraining_decisions (state);

CREATE TABLE training_sets (
    run_id            VARCHAR(64)  PRIMARY KEY,
    decision_id       VARCHAR(32)  NOT NULL,
    model_name        VARCHAR(128) NOT NULL,
    model_version     INTEGER,
    dataset_sha256    VARCHAR(64)  NOT NULL,
    datasets          TEXT         NOT NULL,
    mix               TEXT         NOT NULL,
    created_ms        BIGINT       NOT NULL
);

CREATE INDEX training_sets_by_version ON training_sets (model_name, model_version);

CREATE TABLE training_set_captures (
    run_id         VARCHAR(64)  NOT NULL,
    device_id      VARCHAR(128) NOT NULL,
    part           VARCHAR(16)  NOT NULL,
    captures       INTEGER      NOT NULL,
    min_capture_id BIGINT       NOT NULL,
    max_capture_id BIGINT       NOT NULL,
    capture_ids    TEXT         NOT NULL,
    PRIMARY KEY (run_id, device_id, part)
);
