package io.edgeloop.protocol.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How an edge agent process is started from a source checkout, the same way {@code ./edgeloop
 * agent} starts it: the JVM options of {@value #JVM_OPTIONS_FILE} (also read by both shell
 * launchers), the edge-agent jar and its runtime classpath {@code edge-agent/target/lib}, and the
 * agent's main class. Java code that runs an agent as a separate process (the demo, tests,
 * benchmarks) builds its command here instead of repeating the flags.
 */
public final class AgentCommandLine {
    /** The agent's JVM options, one per line, {@code #} comments; relative to the checkout root. */
    public static final String JVM_OPTIONS_FILE = "edge-agent/src/main/dist/jvm.options";
    /** The agent jar, relative to the checkout root (the reactor's version, as in {@code ./edgeloop}). */
    public static final String AGENT_JAR = "edge-agent/target/edge-agent-0.1.0-SNAPSHOT.jar";
    /** The agent's runtime classpath folder, relative to the checkout root. */
    public static final String AGENT_LIB = "edge-agent/target/lib";
    /** Named by string: the code that launches an agent never links against the agent. */
    public static final String MAIN_CLASS = "io.edgeloop.agent.AgentMain";
    /**
     * Environment both launchers set: glibc would give every thread its own malloc arena, which
     * ONNX Runtime and RocksDB touch; two keep the agent's resident memory small.
     */
    public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    private AgentCommandLine() {
    }

    /** The options in the text of a {@code jvm.options} file: one per line; blank lines and {@code #} comments skipped. */
    public static List<String> parseJvmOptions(List<String> lines) {
        List<String> options = new ArrayList<>();
        for (String line : lines) {
            String option = line.strip();
            if (!option.isEmpty() && !option.startsWith("#")) {
                options.add(option);
            }
        }
        return List.copyOf(options);
    }

    /** The agent jar and its lib folder of the checkout at {@code root}, as a {@code -cp} value. */
    public static String classpath(Path root) {
        return root.resolve(AGENT_JAR) + java.io.File.pathSeparator + root.resolve(AGENT_LIB) + "/*";
    }

    /**
     * {@code java <jvmOptions> -cp <classpath> io.edgeloop.agent.AgentMain agent <agentArgs>}.
     *
     * @param java        the java executable
     * @param jvmOptions  usually {@link #parseJvmOptions} of {@value #JVM_OPTIONS_FILE}, plus any extra
     * @param classpath   usually {@link #classpath(Path)}
     * @param agentArgs   options of {@code agent}, e.g. {@code --http-port 0 --package FILE}
     */
    public static List<String> command(Path java, List<String> jvmOptions, String classpath, List<String> agentArgs) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, MAIN_CLASS, "agent"));
        command.addAll(agentArgs);
        return List.copyOf(command);
    }
}
