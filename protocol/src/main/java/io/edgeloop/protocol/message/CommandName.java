package io.edgeloop.protocol.message;

import java.util.Locale;

/** The commands a server can send to an agent; the lower-case name is the {@code cmd/…} topic level. */
public enum CommandName {
    /** Revert to the previous model version (args: {@code model}). */
    ROLLBACK,
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
