package io.edgeloop.profiles.match;

import io.edgeloop.profiles.catalog.ByteSize;
import io.edgeloop.profiles.catalog.DeviceProfile;
import io.edgeloop.profiles.catalog.ProfileCatalog;
import io.edgeloop.profiles.probe.GpuInfo;
import io.edgeloop.profiles.probe.HardwareInfo;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Picks the device profile that fits a machine best. A profile fits when the architecture is the
 * same, every CPU feature it lists is present, a CUDA GPU is present if it carries one, and, for
 * board-specific profiles, the board model matches (or, when the machine names no board, its ARM
 * core part does). Among fitting profiles the most specific wins: board and GPU evidence count
 * most, then the number of required features, then closeness of cores and memory; the generic
 * profile of the architecture fits everything and wins only when nothing else does.
 */
public final class ProfileMatcher {
    private static final double SPECIFIC_BASE = 10;
    private static final double PER_FEATURE = 5;
    private static final double BOARD_MATCH = 40;
    private static final double PART_MATCH = 20;
    private static final double GPU_MATCH = 30;
    private static final double CLOSENESS = 5;
    /** Flags worth naming in a reason; the rest of a long feature list is noise to a reader. */
    private static final Set<String> NOTABLE = Set.of("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni",
            "avx512_bf16", "amx_int8", "asimd", "asimddp", "asimdhp", "sve", "i8mm", "v");

    private final ProfileCatalog catalog;

    public ProfileMatcher(ProfileCatalog catalog) {
        this.catalog = catalog;
    }

    /** The best profile for {@code hw}; fails only when the catalog has nothing for its architecture. */
    public ProfileMatch match(HardwareInfo hw) throws EdgeLoopException {
        Candidate best = null;
        List<Candidate> rejected = new ArrayList<>();
        for (DeviceProfile profile : catalog.profiles()) {
            if (!profile.architecture().equals(hw.architecture())) {
                continue;
            }
            Candidate c = evaluate(profile, hw);
            if (c.rejection != null) {
                rejected.add(c);
            } else if (best == null || c.score > best.score) {
                best = c;
            }
        }
        if (best == null) {
            throw new EdgeLoopException(ErrorCode.NO_DEVICE_PROFILE, "no profile in the catalog fits architecture '"
                    + hw.architecture() + "'" + (rejected.isEmpty() ? "" : "; rejected: "
                    + rejected.stream().map(Candidate::describeRejection).collect(Collectors.joining("; "))));
        }
        return new ProfileMatch(best.profile, Math.round(best.score * 100) / 100.0, reason(best, hw, rejected));
    }

    private record Evidence(boolean board, boolean part, boolean gpu) {
    }

    private static final class Candidate {
        final DeviceProfile profile;
        double score;
        String rejection;
        boolean boardMismatch;
        Evidence evidence;

        Candidate(DeviceProfile profile) {
            this.profile = profile;
        }

        String describeRejection() {
            return profile.id() + " (" + rejection + ")";
        }
    }

    private static Candidate evaluate(DeviceProfile profile, HardwareInfo hw) {
        Candidate c = new Candidate(profile);
        List<String> missing = profile.cpuFeatures().stream()
                .filter(f -> !hw.cpuFeatures().contains(f)).collect(Collectors.toList());
        if (!missing.isEmpty()) {
            c.rejection = "missing " + String.join(", ", missing.subList(0, Math.min(4, missing.size())))
                    + (missing.size() > 4 ? " and " + (missing.size() - 4) + " more" : "");
            return c;
        }
        if (profile.requiresCuda() && !hw.hasNvidiaGpu()) {
            c.rejection = "needs an NVIDIA GPU, none found";
            return c;
        }
        boolean board = false;
        boolean part = false;
        if (!profile.boardModels().isEmpty()) {
            String model = hw.boardModel() == null ? null : hw.boardModel().toLowerCase(Locale.ROOT);
            board = model != null && profile.boardModels().stream()
                    .anyMatch(b -> model.contains(b.toLowerCase(Locale.ROOT)));
            // Containers often hide the device tree; then the CPU core type stands in for the board.
            part = model == null && profile.cpuParts().stream().anyMatch(hw.cpuParts()::contains);
            if (!board && !part) {
                c.rejection = model == null
                        ? "no board model and CPU part " + hw.cpuParts() + " is not " + profile.cpuParts()
                        : "board '" + hw.boardModel() + "' does not match";
                c.boardMismatch = true;
                return c;
            }
        }
        c.evidence = new Evidence(board, part, profile.requiresCuda());
        double score = profile.generic() ? 0 : SPECIFIC_BASE + PER_FEATURE * profile.cpuFeatures().size();
        score += board ? BOARD_MATCH : part ? PART_MATCH : 0;
        score += profile.requiresCuda() ? GPU_MATCH : 0;
        score += CLOSENESS * closeness(hw.cores(), profile.cores());
        score += CLOSENESS * profile.memoryOptions().stream()
                .mapToDouble(m -> closeness(hw.memTotalBytes(), m)).max().orElse(0);
        c.score = score;
        return c;
    }

    /** 1 when equal, towards 0 as the ratio grows. */
    private static double closeness(double actual, double nominal) {
        if (actual <= 0 || nominal <= 0) {
            return 0;
        }
        return Math.min(actual, nominal) / Math.max(actual, nominal);
    }

    /**
     * One sentence: the evidence for the winner, the machine's size, then the more specific
     * profiles that did not fit and why. Other boards are named only when the generic profile won,
     * since "a Jetson is not a Raspberry Pi" tells a reader nothing.
     */
    private static String reason(Candidate best, HardwareInfo hw, List<Candidate> rejected) {
        DeviceProfile p = best.profile;
        StringBuilder sb = new StringBuilder(hw.architecture());
        if (best.evidence.board()) {
            sb.append(" board '").append(hw.boardModel()).append('\'');
        } else if (best.evidence.part()) {
            sb.append(" CPU part ").append(String.join("/", hw.cpuParts()))
                    .append(hw.cpuModel() == null ? "" : " (" + hw.cpuModel() + ")");
        }
        List<String> shown = p.cpuFeatures().stream()
                .filter(f -> p.cpuFeatures().size() <= 4 || NOTABLE.contains(f)).collect(Collectors.toList());
        if (!shown.isEmpty()) {
            sb.append(" with ").append(String.join(", ", shown));
        } else if (p.generic()) {
            sb.append(" with no more specific match");
        }
        if (best.evidence.gpu()) {
            String gpus = hw.gpus().stream().map(GpuInfo::name).collect(Collectors.joining(", "));
            sb.append(" and NVIDIA GPU '").append(gpus).append('\'');
        }
        sb.append("; ").append(hw.cores()).append(" CPUs, ").append(ByteSize.format(hw.memTotalBytes()))
                .append(" → ").append(p.id());
        for (Candidate r : rejected) {
            if (p.generic() || !r.boardMismatch) {
                sb.append("; not ").append(r.describeRejection());
            }
        }
        return sb.toString();
    }
}
