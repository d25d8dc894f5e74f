package io.edgeloop.protocol.message;

/**
 * One class in a drift window: how often the model predicted it, and how often the package's
 * baseline would have it predicted in a window of that size.
 *
 * @param name class label
 * @param observed predicted count in the window, {@code >= 0}
 * @param expected expected count, {@code >= 0}
 */
public record ClassCount(String name, long observed, double expected) {
    public ClassCount {
        FieldChecks.text("name", name);
        FieldChecks.nonNegative("observed", observed);
        FieldChecks.nonNegative("expected", expected);
    }
}
