package io.edgeloop.it;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code ./edgeloop --help} lists only commands that run: each answers its own {@code --help}. */
class LauncherCommandsIT {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    /** A command line of the help: two spaces, a lower-case word, then its description. */
    private static final Pattern COMMAND = Pattern.compile("^  ([a-z]+)(?: [a-z]+)?\\s{2,}\\S");

    @Test
    void everyListedCommandIsMappedAndAnswersHelp() throws Exception {
        assumeTrue(Files.isRegularFile(ROOT.resolve("fleet-server/target/fleet-server-0.1.0-SNAPSHOT.jar")),
                "needs the packaged modules (mvn package)");
        List<String> commands = new ArrayList<>();
        for (String line : run(List.of("--help")).split("\n")) {
            Matcher m = COMMAND.matcher(line);
            if (m.find() && !line.startsWith("  EDGELOOP_") && !line.startsWith("  JAVA_OPTS")) {
                commands.add(m.group(1));
            }
        }
        assertTrue(commands.containsAll(List.of("demo", "server", "agent", "pack", "profile")), commands.toString());
        for (String command : commands) {
            String out = run(List.of(command, "--help"));
            assertTrue(out.contains("Usage:"), command + " --help: " + out);
        }
    }

    private static String run(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("edgeloop").toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("EDGELOOP_NO_BUILD", "1");
        pb.environment().put("EDGELOOP_CDS", "0"); // an 'agent --help' must not leave a class archive behind
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), String.join(" ", args) + ": " + out);
        return out;
    }
}
