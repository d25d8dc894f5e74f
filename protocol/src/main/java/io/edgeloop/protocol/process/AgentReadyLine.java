package io.edgeloop.protocol.process;

import java.util.OptionalInt;

/**
 * The line an agent process prints on stdout once it serves: {@code edgeloop agent ready on port N}.
 * A supervising process (the demo, tests, benchmarks, a device's own tooling) starts the agent
 * with {@code --http-port 0} and learns the port from this line; stdout carries nothing else of
 * the agent's, its log goes to stderr.
 */
public final class AgentReadyLine {
    /** What the line starts with; the port follows. */
    public static final String PREFIX = "edgeloop agent ready on port ";
    /** The line of an agent configured without HTTP ({@code http.enabled: false}). */
    public static final String WITHOUT_HTTP = "edgeloop agent ready without HTTP";

    private AgentReadyLine() {
    }

    /** The line for an agent serving on {@code port}. */
    public static String format(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port");
        }
        return PREFIX + port;
    }

    /** The port if {@code line} is a ready line, else empty (other output, a partial line). */
    public static OptionalInt parse(String line) {
        if (line == null || !line.startsWith(PREFIX)) {
            return OptionalInt.empty();
        }
        try {
            int port = Integer.parseInt(line.substring(PREFIX.length()).trim());
            return port >= 1 && port <= 65535 ? OptionalInt.of(port) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
