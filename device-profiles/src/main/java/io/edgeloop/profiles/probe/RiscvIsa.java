package io.edgeloop.profiles.probe;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a RISC-V ISA string ({@code rv64imafdc_zicsr_zba_zbb}) into extension names, so RISC-V
 * features sit in the same flag set as x86 and arm64 ones: single letters ({@code i}, {@code m},
 * {@code a}, {@code f}, {@code d}, {@code c}, {@code v}) and multi-letter names ({@code zba}).
 */
final class RiscvIsa {
    private RiscvIsa() {
    }

    static Set<String> extensions(String isa) {
        Set<String> out = new LinkedHashSet<>();
        String s = isa.trim().toLowerCase(Locale.ROOT);
        if (!s.matches("rv(32|64|128).*")) {
            return out;
        }
        s = s.replaceFirst("^rv(32|64|128)", "");
        String[] parts = s.split("_");
        for (char c : parts[0].toCharArray()) {
            if (Character.isLetter(c)) {
                out.add(String.valueOf(c));
            }
        }
        for (int i = 1; i < parts.length; i++) {
            if (!parts[i].isEmpty()) {
                out.add(parts[i]);
            }
        }
        return out;
    }
}
