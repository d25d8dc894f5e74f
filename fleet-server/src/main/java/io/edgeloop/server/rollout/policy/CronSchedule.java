package io.edgeloop.server.rollout.policy;

import io.edgeloop.protocol.InvalidFieldException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Optional;

/**
 * A five-field cron expression in UTC: {@code minute hour day-of-month month day-of-week}. Each
 * field is {@code *}, a value, a range {@code a-b}, a step {@code *}{@code /n}, {@code a-b/n}
 * or {@code a/n} (from a to the field's end), or a comma-separated list of these. Months may be
 * written {@code JAN}..{@code DEC}, days of the week {@code SUN}..{@code SAT}; day of the week 0
 * and 7 are both Sunday. As in Vixie cron, when both day fields are restricted (neither starts
 * with {@code *}) a day matches if either matches; otherwise both must.
 */
final class CronSchedule {
    /** How far {@link #next} looks: long enough for every Feb 29 schedule to come round. */
    private static final int SEARCH_YEARS = 9;

    private static final String[] MONTHS =
            {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    private final String field;
    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean domRestricted;
    private final boolean dowRestricted;

    private CronSchedule(String field, String text, String[] parts) {
        this.field = field;
        this.text = text;
        minutes = parseField(parts[0], "minute", 0, 59, null);
        hours = parseField(parts[1], "hour", 0, 23, null);
        daysOfMonth = parseField(parts[2], "day-of-month", 1, 31, null);
        months = parseField(parts[3], "month", 1, 12, MONTHS);
        BitSet dow = parseField(parts[4], "day-of-week", 0, 7, DAYS);
        if (dow.get(7)) {
            dow.set(0);
            dow.clear(7);
        }
        daysOfWeek = dow;
        domRestricted = !parts[2].startsWith("*");
        dowRestricted = !parts[4].startsWith("*");
    }

    /**
     * Parses {@code text}.
     *
     * @param field the name a refusal gives the expression (e.g. {@code maintenanceWindow.cron})
     * @throws InvalidFieldException naming {@code field} and the part at fault
     */
    static CronSchedule parse(String field, String text) {
        PolicyChecks.present(field, text);
        String[] parts = text.strip().split("\\s+");
        if (parts.length != 5) {
            throw new InvalidFieldException(field, "'" + text + "' has " + (text.isBlank() ? 0 : parts.length)
                    + " fields; write 5: minute hour day-of-month month day-of-week (UTC), e.g. '0 2 * * *'");
        }
        return new CronSchedule(field, text.strip(), parts);
    }

    private BitSet parseField(String part, String name, int min, int max, String[] names) {
        BitSet set = new BitSet(max + 1);
        for (String item : part.split(",", -1)) {
            if (item.isEmpty()) {
                throw refuse(name, "'" + part + "' has an empty list item");
            }
            int step = 1;
            String range = item;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                step = number(item.substring(slash + 1), name, 1, max - min + 1, null);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else {
                int dash = range.indexOf('-');
                if (dash >= 0) {
                    from = number(range.substring(0, dash), name, min, max, names);
                    to = number(range.substring(dash + 1), name, min, max, names);
                    if (to < from) {
                        throw refuse(name, "range '" + range + "' runs backwards; write the smaller value first");
                    }
                } else {
                    from = number(range, name, min, max, names);
                    // "a/n" runs from a to the end of the field, as in Vixie cron.
                    to = slash >= 0 ? max : from;
                }
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private int number(String token, String name, int min, int max, String[] names) {
        if (names != null) {
            String upper = token.toUpperCase(Locale.ROOT);
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(upper)) {
                    return names == MONTHS ? i + 1 : i;
                }
            }
        }
        int value;
        try {
            value = Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw refuse(name, "'" + token + "' is not a number");
        }
        if (value < min || value > max) {
            throw refuse(name, value + " is outside " + min + ".." + max);
        }
        return value;
    }

    private InvalidFieldException refuse(String name, String problem) {
        return new InvalidFieldException(field, "'" + text + "': " + name + " " + problem);
    }

    /** Whether the minute starting at {@code t} (UTC; seconds ignored) matches. */
    boolean matches(LocalDateTime t) {
        return minutes.get(t.getMinute()) && hours.get(t.getHour()) && months.get(t.getMonthValue())
                && dayMatches(t.toLocalDate());
    }

    private boolean dayMatches(LocalDate date) {
        boolean dom = daysOfMonth.get(date.getDayOfMonth());
        boolean dow = daysOfWeek.get(date.getDayOfWeek().getValue() % 7);
        if (domRestricted && dowRestricted) {
            return dom || dow;
        }
        return dom && dow;
    }

    /**
     * The first matching minute at or after {@code from}, or empty when none comes within
     * {@value #SEARCH_YEARS} years (an impossible date such as {@code 0 0 30 2 *}).
     */
    Optional<Instant> next(Instant from) {
        LocalDateTime t = LocalDateTime.ofInstant(from, ZoneOffset.UTC);
        LocalDateTime floor = t.truncatedTo(ChronoUnit.MINUTES);
        t = floor.equals(t) ? floor : floor.plusMinutes(1);
        LocalDateTime limit = t.plusYears(SEARCH_YEARS);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).toLocalDate().atStartOfDay().plusMonths(1);
            } else if (!dayMatches(t.toLocalDate())) {
                t = t.toLocalDate().atStartOfDay().plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                int nextMinute = minutes.nextSetBit(t.getMinute());
                t = nextMinute < 0 ? t.truncatedTo(ChronoUnit.HOURS).plusHours(1) : t.withMinute(nextMinute);
            } else {
                return Optional.of(t.toInstant(ZoneOffset.UTC));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return text;
    }
}
