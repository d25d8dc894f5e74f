package io.edgeloop.profiles.probe;

import io.edgeloop.profiles.catalog.ByteSize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Finds NVIDIA GPUs from the evidence a Linux machine offers, best first: {@code nvidia-smi}
 * output (name, memory, compute capability), the driver's {@code /proc/driver/nvidia/gpus/}
 * entries (name only), the bare driver ({@code /proc/driver/nvidia/version}, {@code /dev/nvidia0}),
 * and for Jetson modules, whose integrated GPU has no PCI entry, {@code /etc/nv_tegra_release} or
 * a "Jetson" device-tree model.
 */
final class NvidiaGpus {
    static final String NVIDIA_SMI_QUERY = "--query-gpu=name,memory.total,compute_cap";

    private NvidiaGpus() {
    }

    /**
     * Parses {@code nvidia-smi --query-gpu=name,memory.total,compute_cap --format=csv,noheader}:
     * one line per GPU such as {@code NVIDIA H100 80GB HBM3, 81559 MiB, 9.0}; {@code [N/A]} fields
     * become null.
     */
    static List<GpuInfo> parseNvidiaSmi(String csv) {
        List<GpuInfo> gpus = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",");
            if (fields.length < 3) {
                throw new IllegalArgumentException("nvidia-smi line has " + fields.length
                        + " fields, expected name, memory.total, compute_cap: '" + line + "'");
            }
            // A product name could hold a comma; memory and capability are always the last two.
            String name = String.join(",", Arrays.copyOf(fields, fields.length - 2)).trim();
            String memory = fields[fields.length - 2].trim();
            String capability = fields[fields.length - 1].trim();
            gpus.add(new GpuInfo(GpuInfo.VENDOR_NVIDIA, name, known(memory) ? ByteSize.parse(memory) : null,
                    known(capability) ? capability : null, false, "nvidia-smi"));
        }
        return gpus;
    }

    /** GPUs named by the driver's per-device {@code information} files (line {@code Model: ...}). */
    static List<GpuInfo> fromProcDriver(Path root) throws IOException {
        Path gpusDir = root.resolve("proc/driver/nvidia/gpus");
        List<GpuInfo> gpus = new ArrayList<>();
        if (Files.isDirectory(gpusDir)) {
            try (Stream<Path> dirs = Files.list(gpusDir)) {
                for (Path dir : dirs.sorted().toList()) {
                    Path info = dir.resolve("information");
                    if (Files.isReadable(info)) {
                        String model = field(Files.readString(info, StandardCharsets.UTF_8), "Model");
                        gpus.add(new GpuInfo(GpuInfo.VENDOR_NVIDIA, model == null ? "NVIDIA GPU" : model, null, null,
                                false, "/proc/driver/nvidia/gpus/" + dir.getFileName()));
                    }
                }
            }
        }
        if (gpus.isEmpty()) {
            for (String evidence : List.of("proc/driver/nvidia/version", "dev/nvidia0")) {
                if (Files.exists(root.resolve(evidence))) {
                    gpus.add(new GpuInfo(GpuInfo.VENDOR_NVIDIA, "NVIDIA GPU (driver present, model unknown)", null,
                            null, false, "/" + evidence));
                    break;
                }
            }
        }
        return gpus;
    }

    /** The integrated GPU of a Jetson module, from the L4T release file or the board name. */
    static List<GpuInfo> jetson(Path root, String boardModel) {
        Path release = root.resolve("etc/nv_tegra_release");
        boolean jetsonBoard = boardModel != null && boardModel.toLowerCase(Locale.ROOT).contains("jetson");
        if (!Files.exists(release) && !jetsonBoard) {
            return List.of();
        }
        String board = boardModel == null ? "" : boardModel.toLowerCase(Locale.ROOT);
        String name;
        String capability;
        // Compute capabilities from NVIDIA's CUDA GPU list: Orin 8.7, Xavier 7.2, TX2 6.2, Nano/TX1 5.3.
        if (board.contains("orin")) {
            name = "Orin (Ampere iGPU)";
            capability = "8.7";
        } else if (board.contains("xavier")) {
            name = "Xavier (Volta iGPU)";
            capability = "7.2";
        } else if (board.contains("tx2")) {
            name = "Tegra X2 (Pascal iGPU)";
            capability = "6.2";
        } else if (board.contains("nano") || board.contains("tx1")) {
            name = "Tegra X1 (Maxwell iGPU)";
            capability = "5.3";
        } else {
            name = "Tegra iGPU";
            capability = null;
        }
        String source = Files.exists(release) ? "/etc/nv_tegra_release" : "/proc/device-tree/model";
        return List.of(new GpuInfo(GpuInfo.VENDOR_NVIDIA, name, null, capability, true, source));
    }

    private static boolean known(String value) {
        return !value.isEmpty() && !value.startsWith("[") && !value.equalsIgnoreCase("N/A");
    }

    private static String field(String text, String key) {
        for (String line : text.split("\\R")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }
}
