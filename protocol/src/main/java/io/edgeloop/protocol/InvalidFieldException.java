package io.edgeloop.protocol;

/**
 * Thrown by the compact constructors of protocol records (and by topic builders) when a value
 * breaks the contract. It names the field at fault, relative to the record that refused it, so
 * the codec can report the full JSON path ({@code models[2].version}) of a malformed message.
 *
 * <p>Unchecked on purpose: building a record with an invalid value in code is a programming
 * error; input from the wire goes through {@code MessageCodec}, which turns this into a checked
 * {@link MessageFormatException}.
 */
public final class InvalidFieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;

    public InvalidFieldException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** The field (or dotted path, relative to the refusing record) whose value was refused. */
    public String field() {
        return field;
    }

    /** What is wrong with the value, without the field name. */
    public String problem() {
        return problem;
    }
}
