package io.edgeloop.packager.quantize;

import io.edgeloop.profiles.probe.LocalCpu;

import java.util.Set;

/**
 * What {@link StaticQdqQuantizer} quantizes.
 *
 * @param opTypes       operator types to quantize (a subset of {@code Conv}, {@code Gemm}, {@code MatMul})
 * @param perChannel    per-output-channel weight scales instead of one per tensor
 * @param reduceRange   7-bit Conv weights (±63), for CPUs without VNNI where ORT's fused u8s8 Conv
 *                      saturates (its fused Gemm matched the unfused result at full range here)
 * @param excludedNodes node names kept in fp32 even when their type is chosen
 */
public record QdqOptions(Set<String> opTypes, boolean perChannel, boolean reduceRange, Set<String> excludedNodes) {
    public static final Set<String> SUPPORTED_OPS = Set.of("Conv", "Gemm", "MatMul");
    public static final Set<String> DENSE_OPS = Set.of("Gemm", "MatMul");
    public static final boolean DEFAULT_PER_CHANNEL = true;

    public QdqOptions {
        opTypes = Set.copyOf(opTypes);
        excludedNodes = Set.copyOf(excludedNodes);
        for (String op : opTypes) {
            if (!SUPPORTED_OPS.contains(op)) {
                throw new IllegalArgumentException("cannot quantize " + op + "; supported: " + SUPPORTED_OPS);
            }
        }
    }

    /** Options with the weight range this CPU needs ({@link io.edgeloop.profiles.probe.CpuFeatures#needsReducedInt8Range()}). */
    public static QdqOptions of(Set<String> opTypes, boolean perChannel) {
        return new QdqOptions(opTypes, perChannel, LocalCpu.get().features().needsReducedInt8Range(), Set.of());
    }

    public int weightQmax(String opType) {
        return reduceRange && opType.equals("Conv") ? Int8Weights.REDUCED_RANGE : Int8Weights.FULL_RANGE;
    }
}
