package io.edgeloop.server.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The code version recorded with every run: the git commit of the EdgeLoop checkout the
 * launcher runs from ({@code -Dedgeloop.home}), read from {@code .git} without running git,
 * else the release version.
 */
public final class CodeVersion {
    public static final String RELEASE = "0.1.0-SNAPSHOT";

    private CodeVersion() {
    }

    public static String current() {
        String home = System.getProperty("edgeloop.home", ".");
        return commit(Path.of(home)).map(c -> RELEASE + "+" + c).orElse(RELEASE);
    }

    static java.util.Optional<String> commit(Path checkout) {
        try {
            Path git = checkout.resolve(".git");
            if (Files.isRegularFile(git)) {
                // A worktree: ".git" names the real git directory.
                String target = Files.readString(git, StandardCharsets.UTF_8).trim();
                if (!target.startsWith("gitdir:")) {
                    return java.util.Optional.empty();
                }
                git = checkout.resolve(target.substring("gitdir:".length()).trim());
            }
            Path head = git.resolve("HEAD");
            if (!Files.isReadable(head)) {
                return java.util.Optional.empty();
            }
            String ref = Files.readString(head, StandardCharsets.UTF_8).trim();
            if (!ref.startsWith("ref:")) {
                return java.util.Optional.of(ref.substring(0, Math.min(12, ref.length())));
            }
            String name = ref.substring(4).trim();
            for (Path dir : new Path[] {git, commonDir(git)}) {
                Path file = dir.resolve(name);
                if (Files.isReadable(file)) {
                    String sha = Files.readString(file, StandardCharsets.UTF_8).trim();
                    return java.util.Optional.of(sha.substring(0, Math.min(12, sha.length())));
                }
            }
            return java.util.Optional.empty();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static Path commonDir(Path git) throws IOException {
        Path common = git.resolve("commondir");
        return Files.isReadable(common) ? git.resolve(Files.readString(common).trim()).normalize() : git;
    }
}
