package io.edgeloop.protocol;

/**
 * A throwable that names its {@link ErrorCode}. {@link EdgeLoopException} is the checked one;
 * unchecked failures thrown from deep inside a parser implement this too, so that
 * {@link ErrorResponse} answers them with their own code instead of {@link ErrorCode#INTERNAL}.
 */
public interface CodedFailure {
    /** The code of this failure. */
    ErrorCode code();

    /** The sentence about this occurrence, without the code's advice. */
    String getMessage();
}
