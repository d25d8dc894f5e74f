package io.edgeloop.profiles.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes in the profile YAML are written the way vendors print them ({@code 4GiB}, {@code 512MiB},
 * {@code 64 MB}) so a reader can check them against a datasheet; in Java and JSON they are plain
 * byte counts.
 */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?i?B)?", Pattern.CASE_INSENSITIVE);

    private ByteSize() {
    }

    /** Parses {@code 123}, {@code 4GiB}, {@code 1.5 GB}, {@code 512MiB}, ... into bytes. */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (write e.g. 4GiB, 512MiB or 1000000)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        boolean binary = unit.contains("I");
        long base = binary ? 1024L : 1000L;
        int power = switch (unit.charAt(0)) {
            case 'K' -> 1;
            case 'M' -> 2;
            case 'G' -> 3;
            case 'T' -> 4;
            default -> 0;
        };
        double bytes = value * Math.pow(base, power);
        if (bytes > Long.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return Math.round(bytes);
    }

    /** Formats bytes as the largest whole-ish binary unit, for reasons and logs. */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** Jackson hook: accepts a number of bytes or a size string. */
    public static final class Deserializer extends JsonDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return p.getLongValue();
            }
            String text = p.getValueAsString();
            try {
                return parse(text);
            } catch (IllegalArgumentException e) {
                return (Long) ctx.handleWeirdStringValue(Long.class, text, e.getMessage());
            }
        }
    }
}
