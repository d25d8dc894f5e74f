-- One retraining lease per model, so that with several replicas on one database exactly one of
-- them turns a RETRAIN decision into TRAINING. A replica takes the row with a conditional UPDATE
-- (free, or expired) in the transaction that records the decision, renews expires_ms while its job
-- runs and frees the row at the job's end. A replica killed with SIGKILL stops renewing; once
-- expires_ms passes, another replica marks the decision it held FAILED and the model can be
-- retrained again. Times are epoch milliseconds. Plain SQL that H2 and PostgreSQL 15 both accept.

CREATE TABLE retraining_leases (
    model_name  VARCHAR(128) PRIMARY KEY,
    owner       VARCHAR(160),
    decision_id VARCHAR(32),
    expires_ms  BIGINT       NOT NULL,
    -- one more each time the lease changes hands
    epoch       BIGINT       NOT NULL
);

INSERT INTO retraining_leases (model_name, owner, decision_id, expires_ms, epoch)
    SELECT model_name, NULL, NULL, 0, 0 FROM retraining_policies;
