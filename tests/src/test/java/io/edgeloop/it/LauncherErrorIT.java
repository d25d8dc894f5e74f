package io.edgeloop.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A start that fails (a package but no publisher key) through both agent launchers, with class
 * data sharing on as users get it: the error is the last thing printed, not followed by the
 * JVM's class-archive warnings. The first start dumps an archive at exit, the second maps it.
 */
class LauncherErrorIT {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path AGENT_TARGET = ROOT.resolve("edge-agent").resolve("target");

    @TempDir
    Path dir;

    /** Removes the links to the built jars first, so JUnit's clean-up never meets a link out of its folder. */
    @AfterEach
    void removeLinks() throws IOException {
        Path lib = dir.resolve("opt").resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> links = Files.list(lib)) {
                for (Path link : links.toList()) {
                    Files.delete(link);
                }
            }
        }
    }

    @Test
    void theInstalledLauncherEndsAFailedStartWithItsError() throws Exception {
        Path jar = AGENT_TARGET.resolve("edge-agent-0.1.0-SNAPSHOT.jar");
        assumeTrue(Files.isRegularFile(jar) && Files.isDirectory(AGENT_TARGET.resolve("lib")),
                "needs the packaged agent (mvn package) in " + AGENT_TARGET);
        // The layout install.sh creates: bin/edgeloop-agent and its jvm.options beside lib/ with the jars.
        Path home = dir.resolve("opt");
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path lib = Files.createDirectories(home.resolve("lib"));
        Files.copy(ROOT.resolve("edge-agent/src/main/dist/edgeloop-agent"), bin.resolve("edgeloop-agent"));
        Files.copy(ROOT.resolve("edge-agent/src/main/dist/jvm.options"), bin.resolve("jvm.options"));
        Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar);
        try (Stream<Path> jars = Files.list(AGENT_TARGET.resolve("lib"))) {
            for (Path j : jars.toList()) {
                Files.createSymbolicLink(lib.resolve(j.getFileName()), j);
            }
        }
        Path archive = dir.resolve("cds").resolve("agent.jsa");
        Files.createDirectories(archive.getParent());
        for (int start = 1; start <= 2; start++) {
            List<String> out = failedStart(List.of("sh", bin.resolve("edgeloop-agent").toString()), archive, start);
            assertEndsWithTheError(out, "start " + start);
            if (start == 1) {
                assertTrue(dumped(archive), "the first start dumped a class archive, so the test saw CDS at work");
            }
        }
    }

    @Test
    void theRepositoryLauncherEndsAFailedStartWithItsError() throws Exception {
        assumeTrue(Files.isRegularFile(AGENT_TARGET.resolve("edge-agent-0.1.0-SNAPSHOT.jar")),
                "needs the packaged agent (mvn package) in " + AGENT_TARGET);
        Path archive = dir.resolve("agent.jsa");
        for (int start = 1; start <= 2; start++) {
            List<String> out = failedStart(List.of(ROOT.resolve("edgeloop").toString()), archive, start);
            assertEndsWithTheError(out, "start " + start);
            if (start == 1) {
                assertTrue(dumped(archive), "the first start dumped a class archive, so the test saw CDS at work");
            }
        }
    }

    /** Runs {@code launcher agent --package P} without a key; stdout and stderr as one terminal shows them. */
    private List<String> failedStart(List<String> launcher, Path archive, int start) throws Exception {
        Path pkg = Files.writeString(dir.resolve("model.elpkg"), "");
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of("agent", "--package", pkg.toString(), "--http-port", "0",
                "--data-dir", dir.resolve("data-" + start).toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out-" + start + ".txt").toFile());
        pb.environment().remove("JAVA_OPTS"); // the launchers' own memory and CDS settings, as users get them
        pb.environment().remove("EDGELOOP_CDS");
        pb.environment().put("EDGELOOP_CDS_ARCHIVE", archive.toString());
        pb.environment().put("EDGELOOP_NO_BUILD", "1");
        pb.environment().put("EDGELOOP_AGENT_PROFILE", "generic-x86_64");
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the failed start did not end");
        }
        List<String> out = Files.readAllLines(dir.resolve("out-" + start + ".txt"), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), String.join("\n", out));
        return out;
    }

    private static void assertEndsWithTheError(List<String> out, String what) {
        List<String> lines = out.stream().filter(l -> !l.isBlank()).toList();
        String all = String.join("\n", out);
        assertFalse(lines.isEmpty(), what + ": no output");
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("edgeloop agent: PACKAGE_KEY_MISSING:") && last.contains("--pubkey FILE"),
                what + ": the last line is the error, not: " + last + "\n" + all);
        assertTrue(lines.stream().noneMatch(l -> l.contains("[cds]") || l.contains("[cds,")),
                what + ": no class-archive warnings:\n" + all);
        assertTrue(lines.stream().noneMatch(l -> l.contains("No such file")),
                what + ": the launcher found its files:\n" + all);
    }

    private static boolean dumped(Path archive) throws IOException {
        try (Stream<Path> files = Files.list(archive.getParent())) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(archive.getFileName() + "."));
        }
    }
}
