package io.edgeloop.protocol.message;

import java.util.Locale;

/** The commands a server can send to an agent; the lower-case name is the {@code cmd/…} topic level. */
public enum CommandName {
    /**
     * Revert to the previous model version (args: {@code model}; optional {@code jobId}, the
     * execution that installed the version being left, which the agent then reports as
     * {@code ROLLED_BACK}; optional {@code version}, the version to go back to).
     */
    ROLLBACK,
    /**
     * Abandon a job that has not finished (args: {@code jobId}; optional {@code reason}, an error
     * code such as {@code JOB_SUPERSEDED}). The agent stops at the next step boundary, keeps the
     * active version, and reports the execution {@code CANCELED}.
     */
    CANCEL,
    /** Switch data capture on or off (args: {@code enabled}, optional {@code sampleRate}). */
    CAPTURE,
    /** Change agent settings at run time (args: setting name to new value). */
    CONFIG;

    /** The name on the wire and in the topic, e.g. {@code rollback}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The command with this wire name, or {@code null} if there is none. */
    public static CommandName fromWireName(String wireName) {
        for (CommandName name : values()) {
            if (name.wireName().equals(wireName)) {
                return name;
            }
        }
        return null;
    }
}
