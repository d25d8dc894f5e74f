package io.edgeloop.protocol.message;

/**
 * The true class of one captured inference, known after the fact.
 *
 * @param requestId the inference request's id, as in its {@link CapturedSample}
 * @param model model name
 * @param label the true class index, {@code >= 0}
 * @param labelledAtMillis when the label was given, epoch milliseconds
 * @param source who gave it: {@link #FEEDBACK} (the agent's feedback endpoint) or
 *     {@link #ANNOTATOR} (posted to the server)
 */
public record SampleLabel(String requestId, String model, int label, long labelledAtMillis, String source) {
    /** A label posted to the agent's KServe feedback endpoint. */
    public static final String FEEDBACK = "feedback";
    /** A label posted to the server by an annotator. */
    public static final String ANNOTATOR = "annotator";

    public SampleLabel {
        FieldChecks.text("requestId", requestId);
        FieldChecks.text("model", model);
        FieldChecks.nonNegative("label", label);
        FieldChecks.nonNegative("labelledAtMillis", labelledAtMillis);
        FieldChecks.text("source", source);
    }
}
