package io.edgeloop.profiles.probe;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How {@link HardwareProbe} reads a machine.
 *
 * @param root           file-system root the {@code /proc}, {@code /dev}, {@code /etc} and {@code /sys}
 *                       paths are read under; a fixture folder in tests
 * @param runNvidiaSmi   whether to run {@code nvidia-smi} from PATH; only meaningful for the live
 *                       root, since a fixture must never see the host's GPU
 * @param commandTimeout how long {@code nvidia-smi} may take before it counts as absent
 */
public record ProbeOptions(Path root, boolean runNvidiaSmi, Duration commandTimeout) {
    public static final Path DEFAULT_ROOT = Path.of("/");
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);

    public ProbeOptions {
        if (root == null) {
            throw new IllegalArgumentException("root is required");
        }
        if (commandTimeout == null || commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout must be positive");
        }
    }

    /** Reads {@code root}; runs {@code nvidia-smi} only when root is the real {@code /}. */
    public static ProbeOptions forRoot(Path root) {
        boolean live = root.toAbsolutePath().normalize().equals(DEFAULT_ROOT);
        return new ProbeOptions(root, live, DEFAULT_COMMAND_TIMEOUT);
    }

    /** This machine. */
    public static ProbeOptions live() {
        return forRoot(DEFAULT_ROOT);
    }
}
