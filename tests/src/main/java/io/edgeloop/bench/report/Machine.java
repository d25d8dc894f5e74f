package io.edgeloop.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The machine the figures were taken on, from /proc and the running JVM: CPU model, logical CPUs
 * and cores, the ISA extensions that change inference speed, memory, OS, kernel, Java,
 * python3-torch (the training comparison's peer), and the build (git commit) measured.
 */
public record Machine(String cpuModel, int logicalCpus, String coresPerSocket, List<String> isa, boolean virtual,
                      long memoryKb, String os, String kernel, String java, String torch, String build) {
    /** The flags worth naming: SIMD widths and the int8/bf16 dot-product extensions. */
    static final List<String> ISA_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx_vnni", "avx512f",
            "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_int8", "amx_bf16",
            "asimd", "asimddp", "sve");

    /** This machine; {@code torch} is the python3-torch version found, or null. */
    public static Machine probe(Path root, String torch) {
        List<String> cpuinfo = lines(Path.of("/proc/cpuinfo"));
        String model = field(cpuinfo, "model name");
        if (model.isEmpty()) {
            model = field(cpuinfo, "Hardware");
        }
        Set<String> flags = new LinkedHashSet<>(List.of((field(cpuinfo, "flags") + " " + field(cpuinfo, "Features"))
                .trim().split("\\s+")));
        List<String> isa = ISA_FLAGS.stream().filter(flags::contains).toList();
        long memKb = 0;
        for (String l : lines(Path.of("/proc/meminfo"))) {
            if (l.startsWith("MemTotal:")) {
                memKb = Long.parseLong(l.replaceAll("\\D+", ""));
            }
        }
        String os = "";
        for (String l : lines(Path.of("/etc/os-release"))) {
            if (l.startsWith("PRETTY_NAME=")) {
                os = l.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        }
        String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        return new Machine(model.isEmpty() ? "unknown" : model, Runtime.getRuntime().availableProcessors(),
                field(cpuinfo, "cpu cores"), isa, flags.contains("hypervisor"), memKb,
                os.isEmpty() ? System.getProperty("os.name") : os, System.getProperty("os.version"), java,
                torch == null ? "not installed" : torch, build(root));
    }

    /** The 1-minute load average now, as /proc/loadavg prints it. */
    public static String loadAverage() {
        List<String> l = lines(Path.of("/proc/loadavg"));
        return l.isEmpty() ? "n/a" : l.get(0).split("\\s+")[0];
    }

    /** One line for a section: CPU, CPUs, ISA. */
    public String shortLine() {
        return String.format(Locale.ROOT, "%s, %d CPUs, %s, %.1f GiB", cpuModel, logicalCpus,
                isa.isEmpty() ? "no listed ISA extensions" : String.join(" ", isa), memoryKb / 1048576.0);
    }

    /** Rows of the report header's machine table. */
    public List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("CPU", cpuModel + (virtual ? " (virtual machine: the hypervisor flag is set)" : "")));
        rows.add(List.of("CPUs", logicalCpus + " logical (the JVM's count)" + (coresPerSocket.isEmpty() ? ""
                : ", " + coresPerSocket + " cores per socket in /proc/cpuinfo")));
        rows.add(List.of("ISA extensions", isa.isEmpty() ? "none of " + String.join(", ", ISA_FLAGS) : String.join(" ", isa)));
        rows.add(List.of("memory", String.format(Locale.ROOT, "%.1f GiB", memoryKb / 1048576.0)));
        rows.add(List.of("OS", os + ", kernel " + kernel));
        rows.add(List.of("Java", java));
        rows.add(List.of("python3-torch", torch + " (" + Prerequisites.PYTHON + ")"));
        rows.add(List.of("build", build));
        return rows;
    }

    private static String field(List<String> cpuinfo, String name) {
        for (String l : cpuinfo) {
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).strip().equals(name)) {
                return l.substring(colon + 1).strip();
            }
        }
        return "";
    }

    private static String build(Path root) {
        String commit = git(root, "rev-parse", "--short", "HEAD");
        if (commit.isEmpty()) {
            return "unknown (not a git checkout)";
        }
        // The report itself does not make the build dirty.
        String dirty = git(root, "status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)BENCHMARKS.md");
        return "git " + commit + (dirty.isEmpty() ? "" : " with uncommitted changes to tracked files");
    }

    private static String git(Path root, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", root.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
