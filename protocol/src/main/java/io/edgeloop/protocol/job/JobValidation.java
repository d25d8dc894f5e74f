package io.edgeloop.protocol.job;

import io.edgeloop.protocol.InvalidFieldException;

/**
 * How a device checks a new version in the {@link JobStep#VALIDATING} step before it activates
 * it: not at all, on the reference inputs the package carries, or in shadow on live traffic. In
 * both checking modes the candidate's top-1 answers are compared with a reference (the package's
 * expected outputs, or the active version's answers on the same requests) and the job fails with
 * {@code VALIDATION_FAILED} when the share that agree is below {@code minAgreement}.
 *
 * @param mode         what the device checks the candidate on
 * @param samples      how many inputs to compare: live requests in {@link Mode#SHADOW}, at most
 *                     this many reference inputs in {@link Mode#REFERENCE} (0 means all it carries);
 *                     0 with {@link Mode#NONE}
 * @param minAgreement the share of compared inputs that must agree, in [0, 1]
 */
public record JobValidation(Mode mode, int samples, double minAgreement) {
    /** No validation: activate once installed. */
    public static final JobValidation NONE = new JobValidation(Mode.NONE, 0, 0);

    /** What the candidate is checked on. */
    public enum Mode {
        /** Activate without checking. */
        NONE,
        /** The reference inputs and expected outputs the package carries. */
        REFERENCE,
        /** Live requests, answered by the active version and run on the candidate beside it. */
        SHADOW
    }

    public JobValidation {
        if (mode == null) {
            throw new InvalidFieldException("mode", "must be present");
        }
        if (samples < 0) {
            throw new InvalidFieldException("samples", "must be >= 0, was " + samples);
        }
        if (mode == Mode.SHADOW && samples == 0) {
            throw new InvalidFieldException("samples", "must be > 0 in SHADOW mode");
        }
        if (!(minAgreement >= 0 && minAgreement <= 1)) {
            throw new InvalidFieldException("minAgreement", "must be in [0, 1], was " + minAgreement);
        }
    }
}
