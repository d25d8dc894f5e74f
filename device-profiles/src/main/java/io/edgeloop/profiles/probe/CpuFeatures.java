package io.edgeloop.profiles.probe;

import java.util.Collection;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Questions about a CPU's {@code /proc/cpuinfo} feature flags that engine and precision choices
 * depend on, answered the same way everywhere (quantizer, agent engines, matcher). Flag names are
 * the kernel's: x86 {@code flags} and arm64 {@code Features}.
 */
public final class CpuFeatures {
    private final SortedSet<String> flags;

    private CpuFeatures(Collection<String> flags) {
        this.flags = new TreeSet<>(flags);
    }

    public static CpuFeatures of(Collection<String> flags) {
        return new CpuFeatures(flags);
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    /**
     * An int8 dot-product instruction: x86 AVX-512 VNNI or AVX-VNNI, arm64 SDOT/UDOT
     * ({@code asimddp}). Without one, int8 matrix products widen to 16 bits and rarely beat fp32.
     */
    public boolean hasInt8DotProduct() {
        return has("avx512_vnni") || has("avx_vnni") || has("asimddp");
    }

    /**
     * True on x86 CPUs without VNNI (neither AVX-512 VNNI nor AVX-VNNI), where int8 weights should
     * use 7 bits. There ONNX Runtime's u8s8 kernels (AVX2 {@code vpmaddubsw}) add two uint8×int8
     * products in a saturating 16-bit lane, so full-range weights can saturate and shift results;
     * ORT's own quantizer offers {@code reduce_range} for this. Measured on an AVX2-only EPYC: Conv
     * QDQ agreement 99.5% emulated vs 96% fused with full range. False elsewhere, and when no flag
     * is known (full range, as ORT's quantizer defaults to).
     */
    public boolean needsReducedInt8Range() {
        boolean x86 = has("sse2"); // every x86-64 kernel lists it; arm64 and RISC-V never do
        return x86 && !has("avx512_vnni") && !has("avx_vnni");
    }

    /** 512-bit vectors (AVX-512 Foundation). */
    public boolean hasAvx512() {
        return has("avx512f");
    }

    /** AVX2 with FMA: the baseline ONNX Runtime's fast x86 kernels expect. */
    public boolean hasAvx2Fma() {
        return has("avx2") && has("fma");
    }

    /** Native half-precision arithmetic: arm64 {@code asimdhp}/{@code fphp}, x86 {@code avx512_fp16}. */
    public boolean hasFp16Arithmetic() {
        return (has("asimdhp") && has("fphp")) || has("avx512_fp16");
    }

    /** bfloat16 dot products: x86 {@code avx512_bf16} or {@code amx_bf16}, arm64 {@code bf16}. */
    public boolean hasBf16() {
        return has("avx512_bf16") || has("amx_bf16") || has("bf16");
    }

    /** Any 128-bit SIMD unit a vectorised kernel can use: SSE4.2 or NEON ({@code asimd}). */
    public boolean hasSimd() {
        return has("sse4_2") || has("asimd");
    }

    /** Every flag, sorted. */
    public Set<String> flags() {
        return java.util.Collections.unmodifiableSortedSet(flags);
    }

    @Override
    public String toString() {
        return "CpuFeatures" + flags;
    }
}
