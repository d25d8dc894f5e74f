package io.edgeloop.profiles.probe;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads what a Linux machine is: CPU architecture, model, logical cores and feature flags from
 * {@code /proc/cpuinfo}, memory from {@code /proc/meminfo}, the board name (device tree or DMI),
 * and NVIDIA GPUs. Every path is read under a configurable root, so tests point it at fixture
 * copies of real machines; only the live root may run {@code nvidia-smi}.
 *
 * <pre>{@code HardwareInfo hw = new HardwareProbe(Path.of("/")).probe();}</pre>
 */
public final class HardwareProbe {
    private final ProbeOptions options;

    public HardwareProbe(ProbeOptions options) {
        this.options = options;
    }

    /** Probes the tree under {@code root}; runs {@code nvidia-smi} only when root is {@code /}. */
    public HardwareProbe(Path root) {
        this(ProbeOptions.forRoot(root));
    }

    public HardwareInfo probe() throws EdgeLoopException {
        Path root = options.root();
        CpuInfo cpu = CpuInfo.parse(readRequired("proc/cpuinfo"));
        if (cpu.cores() == 0) {
            throw failed("/proc/cpuinfo under " + root + " lists no 'processor' entries");
        }
        long memTotal = memTotalBytes(readRequired("proc/meminfo"));
        String architecture = architecture(cpu);
        String board = boardModel(cpu);
        List<GpuInfo> gpus = new ArrayList<>();
        try {
            gpus.addAll(nvidiaSmi());
            if (gpus.isEmpty()) {
                gpus.addAll(NvidiaGpus.fromProcDriver(root));
            }
            if (gpus.isEmpty()) {
                gpus.addAll(NvidiaGpus.jetson(root, board));
            }
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.HARDWARE_PROBE_FAILED,
                    "could not read the NVIDIA driver files under " + root + ": " + e.getMessage(), e);
        }
        return new HardwareInfo(architecture, cpu.vendor(), cpu.model(), cpu.cores(), memTotal, cpu.flags(),
                cpu.armParts(), gpus, board);
    }

    /**
     * {@code uname -m}: the kernel's {@code /proc/sys/kernel/arch} where present, else what the
     * cpuinfo's shape implies, else the JVM's {@code os.arch} (only trustworthy for the live root).
     */
    private String architecture(CpuInfo cpu) throws EdgeLoopException {
        Optional<String> kernel = readOptional("proc/sys/kernel/arch").map(String::trim).filter(s -> !s.isEmpty());
        if (kernel.isPresent()) {
            return kernel.get();
        }
        if (cpu.architecture() != null) {
            return cpu.architecture();
        }
        return normalizeArch(System.getProperty("os.arch", "unknown"));
    }

    /** Maps JVM and Debian architecture names to {@code uname -m} names. */
    public static String normalizeArch(String arch) {
        String a = arch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x64", "x86-64" -> "x86_64";
            case "arm64" -> "aarch64";
            case "arm", "armhf" -> "armv7l";
            default -> a;
        };
    }

    /** Device-tree model (ARM boards), then the cpuinfo {@code Model} line, then DMI product name. */
    private String boardModel(CpuInfo cpu) throws EdgeLoopException {
        Optional<String> deviceTree = readOptional("proc/device-tree/model").map(HardwareProbe::clean);
        if (deviceTree.isPresent() && !deviceTree.get().isEmpty()) {
            return deviceTree.get();
        }
        if (cpu.boardModel() != null) {
            return cpu.boardModel();
        }
        return readOptional("sys/class/dmi/id/product_name").map(HardwareProbe::clean).filter(s -> !s.isEmpty())
                .orElse(null);
    }

    /** Device-tree strings end in NUL. */
    private static String clean(String s) {
        return s.replace("\0", "").trim();
    }

    static long memTotalBytes(String meminfo) throws EdgeLoopException {
        for (String line : meminfo.split("\\R")) {
            if (line.startsWith("MemTotal:")) {
                String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
                try {
                    long value = Long.parseLong(parts[0]);
                    // The kernel always prints kB (meaning KiB) here.
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
                } catch (NumberFormatException e) {
                    throw failed("/proc/meminfo has an unreadable MemTotal line: '" + line + "'");
                }
            }
        }
        throw failed("/proc/meminfo has no MemTotal line");
    }

    private List<GpuInfo> nvidiaSmi() {
        if (!options.runNvidiaSmi()) {
            return List.of();
        }
        Optional<Path> smi = onPath("nvidia-smi");
        if (smi.isEmpty()) {
            return List.of();
        }
        Path out = null;
        try {
            // Output goes to a file, not a pipe, so a hung nvidia-smi cannot block us past the timeout.
            out = Files.createTempFile("edgeloop-nvidia-smi", ".csv");
            Process process = new ProcessBuilder(
                    smi.get().toString(), NvidiaGpus.NVIDIA_SMI_QUERY, "--format=csv,noheader")
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return List.of();
            }
            // nvidia-smi exits non-zero when the driver is missing: then the file checks decide.
            return process.exitValue() == 0
                    ? NvidiaGpus.parseNvidiaSmi(Files.readString(out, StandardCharsets.UTF_8))
                    : List.of();
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            deleteQuietly(out);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover temp file is harmless; the probe result matters more
            }
        }
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private String readRequired(String relative) throws EdgeLoopException {
        Path file = options.root().resolve(relative);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw failed("cannot read " + file + ": " + e.getMessage());
        }
    }

    private Optional<String> readOptional(String relative) throws EdgeLoopException {
        Path file = options.root().resolve(relative);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw failed("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static EdgeLoopException failed(String message) {
        return new EdgeLoopException(ErrorCode.HARDWARE_PROBE_FAILED, message);
    }
}
