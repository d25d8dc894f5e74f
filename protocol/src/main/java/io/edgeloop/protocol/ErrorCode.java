package io.edgeloop.protocol;

/**
 * The error vocabulary shared by agent, server and tools. Values travel in job execution updates
 * ({@code statusDetails.errorCode}) and in CLI and REST error answers, so a user sees the same
 * code wherever a failure surfaces. Each code carries the sentence that tells a user what to do
 * next, and its {@link ErrorCategory}, which gives the HTTP status ({@link ErrorResponse} turns a
 * failure into status and body). Callers decide on the code, never on message text.
 */
public enum ErrorCode {
    // Wire and input
    MALFORMED_MESSAGE("A message could not be parsed; check the sender's schema version."),
    INVALID_DEVICE_ID("Device ids may not contain '/', '+', '#' or control characters; rename the device."),
    INVALID_ARGUMENT("An argument is out of range or of the wrong type; see the command's --help."),
    DATASET_UNAVAILABLE("The dataset could not be read; install dataset-fashion-mnist or set EDGELOOP_DATA."),
    DATASET_INVALID("The dataset has bad rows or columns; fix the named row and column and retry."),
    PII_RULE_INVALID("A PII rule is malformed or names a column it cannot apply to; write COLUMN:drop or COLUMN:hash for columns of the header other than the label."),
    DATASET_NOT_FOUND("No stored dataset has that name; list datasets with 'edgeloop fleet datasets list'."),
    DATASET_ALREADY_EXISTS("A dataset with that name is already stored; import under another name."),
    METHOD_NOT_ALLOWED("That path does not take this HTTP method; see the API's documentation for the allowed ones."),
    NOT_FOUND("Nothing is served at that path; see the README for the API's endpoints."),
    REQUEST_TOO_LARGE("The request is larger than the limit; send fewer rows per request or raise the limit."),

    // Packages
    PACKAGE_UNREADABLE("The package is not a readable zip archive; download it again."),
    PACKAGE_SIGNATURE_MISSING("The package has no manifest.sig; sign it with 'edgeloop pack --key'."),
    PACKAGE_SIGNATURE_INVALID("The manifest does not match its signature; the package was altered after signing."),
    PACKAGE_KEY_MISMATCH("The package was signed by a different key; verify with the publisher's public key."),
    PACKAGE_KEY_MISSING("No publisher key is configured; pass --pubkey FILE or set publicKey in agent.yaml."),
    PACKAGE_HASH_MISMATCH("A file's sha256 differs from the manifest; the package was altered after signing."),
    PACKAGE_UNSAFE_PATH("An entry path escapes the package (absolute or '..'); the package is refused."),
    PACKAGE_DUPLICATE_ENTRY("The package holds the same entry twice; the package is refused."),
    PACKAGE_ENTRY_TOO_LARGE("An entry is larger than declared or than the size limit; the package is refused."),
    PACKAGE_UNKNOWN_ENTRY("The package holds a file the manifest does not list; the package is refused."),
    PACKAGE_MISSING_ENTRY("A file listed in the manifest is missing from the package; rebuild it."),
    PACKAGE_FORMAT_UNSUPPORTED("The package format version is unknown to this tool; upgrade EdgeLoop."),
    PACKAGE_MANIFEST_INVALID("The manifest is not valid JSON of the expected shape; rebuild the package."),
    PACKAGE_NO_COMPATIBLE_VARIANT("No variant of the package suits a known device profile; repackage for this device class."),
    PACKAGE_REFERENCE_INVALID("The package's reference inputs are malformed or do not fit the model; rebuild it with 'edgeloop pack'."),

    // Models and inference
    MODEL_INVALID("The model file is not a valid ONNX model; re-export it."),
    MODEL_NOT_FOUND("No model of that name or version is loaded; list models with GET /v2."),
    INFERENCE_INPUT_INVALID("The request's tensors do not match the model's inputs; see GET /v2/models/{name}."),
    INFERENCE_FAILED("The engine failed to run the model; see the agent log."),
    ENGINE_UNAVAILABLE("No inference engine can run this model format on this device."),
    QUANTIZATION_FAILED("Quantization failed; retry without --quantize or with another calibration set."),
    DRIFT_BASELINE_MISSING("The model's package has no drift baseline; rebuild it with 'edgeloop pack' to get drift reports."),
    MODEL_UNLOADING("The model version was replaced while the request waited; send the request again."),
    OVERLOADED("The agent's inference queue is full; retry after a short wait or send larger batches."),
    PREDICTION_NOT_FOUND("No recent prediction has that id; send feedback soon after the prediction, with its id."),

    // Jobs and rollouts
    DOWNLOAD_FAILED("The package could not be downloaded; the agent retries from the saved offset."),
    INSTALL_FAILED("The package could not be installed; the previous version stays active."),
    VALIDATION_FAILED("The new version failed validation on the device; the previous version stays active."),
    ACTIVATION_FAILED("The new version could not be activated; the previous version stays active."),
    JOB_TIMED_OUT("The job passed its deadline; the rollout counts this device as failed."),
    HEALTH_GATE_FAILED("The rollout's health gate failed; the rollout was paused and rolled back."),
    EVALUATION_GATE_FAILED("The candidate is worse than production beyond the tolerance; it was not promoted."),
    STORAGE_FAILED("Local storage failed (disk full or corrupt); free space or check the data directory."),
    DISK_FULL("The device has too little free disk for the package; free space, the previous version keeps serving."),
    DOWNGRADE_REFUSED("That version is older than the highest installed one; use the rollback command to go back."),
    DEVICE_SILENT("The device stopped reporting after it activated the version; its execution failed."),
    JOB_CANCELED("The job was canceled by an operator; the previous version stays active."),
    JOB_SUPERSEDED("A newer rollout of the same model replaced this job; it was canceled."),
    ROLLED_BACK("The rollout was rolled back; the device returned to its previous version."),
    ROLLOUT_NOT_FOUND("No rollout has that id; list rollouts with GET /api/v1/rollouts."),
    ROLLOUT_STATE_CONFLICT("The rollout is not in a state that allows this action; read its state first."),
    STALE_UPDATE("The update's version is older than the one stored; read the execution again and retry."),

    // Devices
    PROFILE_CATALOG_INVALID("A device profile file is malformed or misses a field; fix the named file and field."),
    HARDWARE_PROBE_FAILED("The hardware could not be read (/proc/cpuinfo, /proc/meminfo); check the probe root and permissions."),
    NO_DEVICE_PROFILE("No device profile suits this hardware; add a generic profile for its architecture to the catalog."),

    // Server API, access and package repository
    AUTHENTICATION_REQUIRED("No valid bearer token was sent; pass --token or set EDGELOOP_TOKEN (the first admin token is in DATA_DIR/admin.token)."),
    DEVICE_ALREADY_EXISTS("A device with that id is already registered; pick another id or revoke the old device."),
    DEVICE_NOT_FOUND("No device with that id is registered; list devices with 'edgeloop fleet devices list'."),
    DEVICE_ID_RESERVED("Device ids starting with 'edgeloop-' are reserved for the server's own clients; pick another id."),
    DEVICE_REVOKED("The device was revoked; register it again under a new id to bring it back."),
    DOWNLOAD_TOKEN_EXPIRED("The download token has expired; ask the server for a new job document or download token."),
    DOWNLOAD_TOKEN_INVALID("The download token is not valid for this device and package; use the token the server issued for both."),
    ENROL_TOKEN_EXPIRED("The enrolment token has expired; issue a new one with 'edgeloop fleet devices enrol'."),
    ENROL_TOKEN_INVALID("The enrolment token is unknown, already used or for another device; issue a new one."),
    PACKAGE_ALREADY_EXISTS("A package with that name and version is already stored; bump the version and upload again."),
    PACKAGE_IN_USE("A rollout or device still refers to the package; finish or cancel it before deleting."),
    PACKAGE_NOT_FOUND("No package with that name and version (or digest) is stored; list packages with 'edgeloop fleet packages list'."),
    PACKAGE_TOO_LARGE("The upload is larger than the server's --max-package-bytes; shrink the package or raise the limit."),
    PERMISSION_DENIED("The token's role does not allow this; use a token with a higher role (viewer < operator < admin)."),
    ADMIN_LOCAL_ONLY("The agent's administrative endpoints answer callers on the device itself; call from there, or send its http.adminToken as a bearer token."),
    RANGE_NOT_SATISFIABLE("The requested byte range lies outside the package; restart the download from offset 0."),
    TOKEN_NOT_FOUND("No API token with that id exists; list tokens with 'edgeloop fleet tokens list'."),
    RETRAINING_POLICY_NOT_FOUND("The model has no retraining policy; set one with 'edgeloop fleet retraining policy set MODEL FILE'."),
    RETRAINING_DECISION_NOT_FOUND("No retraining decision has that id; list them with 'edgeloop fleet retraining decisions'."),
    SIGNING_KEY_MISSING("The server has no signing key to publish packages with; make one with 'edgeloop keygen' and start the server with --signing-key FILE.key."),

    // Processes
    PORT_IN_USE("Another process listens on that port; stop it or choose another port."),
    SHUTTING_DOWN("The process is shutting down; send the request again once it has restarted."),
    BROKER_UNAVAILABLE("The server could not hand the message to its MQTT broker; check the broker and retry."),

    INTERNAL("An unexpected error; see the log and report it.");

    private final String advice;

    ErrorCode(String advice) {
        this.advice = advice;
    }

    /** A sentence saying what went wrong and what to do next. */
    public String advice() {
        return advice;
    }

    /**
     * What kind of failure this is. The switch has no default on purpose: a new code does not
     * compile until it is given a category here.
     */
    public ErrorCategory category() {
        return switch (this) {
            case MALFORMED_MESSAGE, INVALID_DEVICE_ID, INVALID_ARGUMENT, DATASET_UNAVAILABLE, DATASET_INVALID,
                 PII_RULE_INVALID,
                 METHOD_NOT_ALLOWED, REQUEST_TOO_LARGE,
                 PACKAGE_UNREADABLE, PACKAGE_SIGNATURE_MISSING, PACKAGE_SIGNATURE_INVALID, PACKAGE_KEY_MISMATCH,
                 PACKAGE_HASH_MISMATCH, PACKAGE_UNSAFE_PATH, PACKAGE_DUPLICATE_ENTRY, PACKAGE_ENTRY_TOO_LARGE,
                 PACKAGE_UNKNOWN_ENTRY, PACKAGE_MISSING_ENTRY, PACKAGE_FORMAT_UNSUPPORTED, PACKAGE_MANIFEST_INVALID,
                 PACKAGE_NO_COMPATIBLE_VARIANT, PACKAGE_REFERENCE_INVALID, MODEL_INVALID, INFERENCE_INPUT_INVALID,
                 PROFILE_CATALOG_INVALID,
                 PACKAGE_TOO_LARGE, RANGE_NOT_SATISFIABLE, DEVICE_ID_RESERVED -> ErrorCategory.BAD_INPUT;
            case AUTHENTICATION_REQUIRED, ENROL_TOKEN_INVALID -> ErrorCategory.UNAUTHORISED;
            case PERMISSION_DENIED, ADMIN_LOCAL_ONLY, DEVICE_REVOKED, ENROL_TOKEN_EXPIRED, DOWNLOAD_TOKEN_EXPIRED,
                 DOWNLOAD_TOKEN_INVALID -> ErrorCategory.FORBIDDEN;
            case NOT_FOUND, MODEL_NOT_FOUND, DRIFT_BASELINE_MISSING, PREDICTION_NOT_FOUND,
                 NO_DEVICE_PROFILE, DEVICE_NOT_FOUND, PACKAGE_NOT_FOUND, TOKEN_NOT_FOUND,
                 ROLLOUT_NOT_FOUND, RETRAINING_POLICY_NOT_FOUND, RETRAINING_DECISION_NOT_FOUND,
                 DATASET_NOT_FOUND -> ErrorCategory.NOT_FOUND;
            // A missing key is the agent's configuration, not the package's fault: the same upload
            // succeeds once the operator configures the key.
            case PACKAGE_KEY_MISSING, ENGINE_UNAVAILABLE, INSTALL_FAILED, VALIDATION_FAILED, ACTIVATION_FAILED,
                 HEALTH_GATE_FAILED, EVALUATION_GATE_FAILED, PORT_IN_USE, SIGNING_KEY_MISSING,
                 DEVICE_ALREADY_EXISTS, PACKAGE_ALREADY_EXISTS, PACKAGE_IN_USE, DOWNGRADE_REFUSED, JOB_CANCELED,
                 JOB_SUPERSEDED, ROLLED_BACK, ROLLOUT_STATE_CONFLICT, STALE_UPDATE,
                 DATASET_ALREADY_EXISTS -> ErrorCategory.CONFLICT;
            case MODEL_UNLOADING, OVERLOADED, DOWNLOAD_FAILED, JOB_TIMED_OUT, SHUTTING_DOWN,
                 DEVICE_SILENT, BROKER_UNAVAILABLE -> ErrorCategory.UNAVAILABLE;
            case INFERENCE_FAILED, QUANTIZATION_FAILED, STORAGE_FAILED, DISK_FULL, HARDWARE_PROBE_FAILED,
                 INTERNAL -> ErrorCategory.INTERNAL;
        };
    }

    /**
     * The HTTP status of this code: its category's, except where HTTP has a more precise one in
     * the same class (a method the path does not take: 405; a body over the limit: 413; a byte
     * range outside the file: 416; a dataset that is named but cannot be read: 422).
     */
    public int httpStatus() {
        return switch (this) {
            case DATASET_UNAVAILABLE -> 422;
            case METHOD_NOT_ALLOWED -> 405;
            case REQUEST_TOO_LARGE, PACKAGE_TOO_LARGE -> 413;
            case RANGE_NOT_SATISFIABLE -> 416;
            default -> category().httpStatus();
        };
    }

    /** True when the same request may succeed later (the category is {@link ErrorCategory#UNAVAILABLE}). */
    public boolean retryable() {
        return category().retryable();
    }

    /**
     * The sentence a user reads for one occurrence: {@code message}, then this code's advice
     * ("the queue is full (64 requests). The agent is busy; retry after a short wait.").
     */
    public String sentence(String message) {
        String m = message == null ? "" : message.strip();
        if (m.isEmpty()) {
            return advice;
        }
        boolean ended = m.endsWith(".") || m.endsWith("!") || m.endsWith("?");
        return m + (ended ? " " : ". ") + advice;
    }
}
