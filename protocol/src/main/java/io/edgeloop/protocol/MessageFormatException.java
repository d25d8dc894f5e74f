package io.edgeloop.protocol;

/**
 * The one checked failure for wire input that cannot be turned into a valid message: bad or
 * truncated JSON, wrong types, missing or invalid fields, a wrong schema id, an oversize document
 * or a topic outside the namespace. {@link #field()} names the part at fault as a JSON path
 * ({@code seq}, {@code statusDetails.step}, {@code features[3].psi}) or, for problems not tied
 * to one field, {@code (document)} or {@code topic}.
 *
 * <p>Consumers log {@link #describe()} and drop the message; they never crash on it.
 */
public final class MessageFormatException extends EdgeLoopException {
    private static final long serialVersionUID = 1L;

    /** Field name used when the whole document is at fault (size, encoding, not an object). */
    public static final String DOCUMENT = "(document)";

    private final String field;

    public MessageFormatException(String field, String problem) {
        super(ErrorCode.MALFORMED_MESSAGE, field + ": " + problem);
        this.field = field;
    }

    public MessageFormatException(String field, String problem, Throwable cause) {
        super(ErrorCode.MALFORMED_MESSAGE, field + ": " + problem, cause);
        this.field = field;
    }

    /** JSON path of the field at fault, {@link #DOCUMENT} or {@code topic}. */
    public String field() {
        return field;
    }
}
