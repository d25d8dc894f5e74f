package io.edgeloop.protocol.codec;

import io.edgeloop.protocol.InvalidFieldException;

/**
 * Limits of a {@link MessageCodec}. They bound what one hostile or broken peer can make a
 * consumer spend on a single message.
 *
 * @param maxMessageBytes largest encoded message accepted or produced
 * @param maxNestingDepth deepest JSON nesting accepted (our messages need 3)
 * @param maxNumberLength longest number literal accepted, in characters
 */
public record CodecOptions(int maxMessageBytes, int maxNestingDepth, int maxNumberLength) {
    /** 256 KiB: a drift report with a few thousand features still fits. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;
    /** Far above what any message needs, far below what could exhaust a stack. */
    public static final int DEFAULT_MAX_NESTING_DEPTH = 32;
    /** Enough for any long or double; refuses digit strings that are slow to parse. */
    public static final int DEFAULT_MAX_NUMBER_LENGTH = 64;

    /** The defaults. */
    public static final CodecOptions DEFAULTS = new CodecOptions(DEFAULT_MAX_MESSAGE_BYTES,
            DEFAULT_MAX_NESTING_DEPTH, DEFAULT_MAX_NUMBER_LENGTH);

    public CodecOptions {
        if (maxMessageBytes < 1024) {
            throw new InvalidFieldException("maxMessageBytes", "must be >= 1024, was " + maxMessageBytes);
        }
        if (maxNestingDepth < 4) {
            throw new InvalidFieldException("maxNestingDepth", "must be >= 4, was " + maxNestingDepth);
        }
        if (maxNumberLength < 24) {
            throw new InvalidFieldException("maxNumberLength", "must be >= 24, was " + maxNumberLength);
        }
    }
}
