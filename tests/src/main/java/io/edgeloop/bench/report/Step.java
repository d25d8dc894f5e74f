package io.edgeloop.bench.report;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One command of a section, run from the repository root exactly as a reader would type it.
 *
 * @param name             short name, used in the log file names
 * @param command          the program and its arguments (a relative program path is the repository's)
 * @param progressOnStderr whether the program's progress goes to stderr (then it is shown while it runs)
 */
public record Step(String name, List<String> command, boolean progressOnStderr) {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,+@%-]+");

    public Step {
        command = List.copyOf(command);
    }

    /** The command as a shell line. */
    public String display() {
        return command.stream().map(a -> PLAIN.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }
}
