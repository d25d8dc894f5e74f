-- Datasets imported into the server (governance): the cleaned CSV (PII columns dropped or
-- hashed before storage) lives in DATA_DIR/datasets/sha256/FILE_SHA256.csv; this row records what
-- it holds and how it was cleaned. Times are epoch milliseconds. Plain SQL that H2 (embedded) and
-- PostgreSQL 15 both accept.

CREATE TABLE datasets (
    name            VARCHAR(64)  PRIMARY KEY,
    label_column    VARCHAR(256) NOT NULL,
    -- classification | regression
    task            VARCHAR(16)  NOT NULL,
    group_column    VARCHAR(256),
    -- sha256 of the stored (cleaned) file
    file_sha256     VARCHAR(64)  NOT NULL,
    -- DatasetDigest of the data as training reads it: the lineage digest runs record
    dataset_sha256  VARCHAR(64)  NOT NULL,
    size_bytes      BIGINT       NOT NULL,
    row_count       INT          NOT NULL,
    -- [{"name","role":"LABEL|FEATURE|GROUP|HASHED"}]
    columns_json    TEXT         NOT NULL,
    -- {"column":"drop|hash"}: the PII rules applied at import
    rules_json      TEXT         NOT NULL,
    -- the data-quality report (CleaningReport)
    report_json     TEXT         NOT NULL,
    created_ms      BIGINT       NOT NULL,
    created_by      VARCHAR(160) NOT NULL
);
