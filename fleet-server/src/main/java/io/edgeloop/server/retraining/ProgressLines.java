package io.edgeloop.server.retraining;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** A print stream that hands each completed line to a consumer (training progress into the decision and the log). */
final class ProgressLines extends OutputStream {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Consumer<String> consumer;

    private ProgressLines(Consumer<String> consumer) {
        this.consumer = consumer;
    }

    static PrintStream to(Consumer<String> consumer) {
        return new PrintStream(new ProgressLines(consumer), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            String text = line.toString(StandardCharsets.UTF_8).strip();
            line.reset();
            if (!text.isEmpty()) {
                consumer.accept(text);
            }
        } else {
            line.write(b);
        }
    }
}
