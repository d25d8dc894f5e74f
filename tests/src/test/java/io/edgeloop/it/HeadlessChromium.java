package io.edgeloop.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium run headless for one page at a time: its rendered DOM after a virtual-time
 * budget ({@code --dump-dom}), or a screenshot. Each run has its own profile directory, and only the
 * process this class started (and its children) is ever killed.
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 240;

    private final Path workDir;
    private int runs;

    HeadlessChromium(Path workDir) {
        this.workDir = workDir;
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** The DOM of {@code url} once the page has run for {@code budgetMillis} of virtual time. */
    String dumpDom(String url, int budgetMillis) throws IOException, InterruptedException {
        return run(url, budgetMillis, List.of("--dump-dom"));
    }

    /** Saves a PNG of {@code url} at {@code width} x {@code height} after {@code budgetMillis} of virtual time. */
    void screenshot(String url, int budgetMillis, Path png, int width, int height) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        run(url, budgetMillis, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars"));
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new AssertionError("chromium wrote no screenshot at " + png);
        }
    }

    private String run(String url, int budgetMillis, List<String> mode) throws IOException, InterruptedException {
        int n = ++runs;
        Path profile = Files.createDirectories(workDir.resolve("profile-" + n));
        Path out = workDir.resolve("chromium-" + n + ".out");
        Path err = workDir.resolve("chromium-" + n + ".err");
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--metrics-recording-only", "--mute-audio",
                "--user-data-dir=" + profile, "--virtual-time-budget=" + budgetMillis));
        command.addAll(mode);
        command.add(url);
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            // Children first: once the browser process is gone they are no longer its descendants.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("chromium did not finish " + url + " within " + TIMEOUT_SECONDS + " s; stderr: "
                    + tail(err));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("chromium exited " + p.exitValue() + " on " + url + "; stderr: " + tail(err));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String tail(Path file) throws IOException {
        String s = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
