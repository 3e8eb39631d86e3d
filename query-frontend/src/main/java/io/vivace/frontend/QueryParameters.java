package io.vivace.frontend;

import io.vivace.common.query.TimeWindow;
import java.time.Duration;
import java.util.function.LongSupplier;

/** Parses the parameters search and tag endpoints share: {@code start}/{@code end} and unsigned numbers. */
final class QueryParameters {

    /** Without a range, backend blocks of this recent past are read (Tempo's {@code query_backend_after}). */
    static final Duration DEFAULT_BACKEND_LOOKBACK = Duration.ofMinutes(15);

    private final LongSupplier nowSeconds;

    QueryParameters(LongSupplier nowSeconds) {
        this.nowSeconds = nowSeconds;
    }

    /**
     * Both bounds given: that range (unix seconds, inclusive) for all data. Neither: all recent data and the backend
     * blocks of the last 15 minutes. The end is not clamped to "now - 30s" as Tempo does, so a trace is found as
     * soon as its export returned. A range longer than {@code limits.maxRange()} is refused.
     */
    SearchQuery.QueryRange range(String start, String end, ReadLimits limits) throws BadRequestException {
        boolean hasStart = start != null && !start.isEmpty();
        boolean hasEnd = end != null && !end.isEmpty();
        if (hasStart != hasEnd) {
            throw new BadRequestException("error parsing date range: only one of start and end provided: must provide both or neither");
        }
        if (!hasStart) {
            long now = nowSeconds.getAsLong();
            return new SearchQuery.QueryRange(TimeWindow.ALL,
                    TimeWindow.ofSeconds(now - DEFAULT_BACKEND_LOOKBACK.toSeconds(), now + 1));
        }
        long s = uint32("start", start);
        long e = uint32("end", end);
        return range(s, e, limits);
    }

    SearchQuery.QueryRange range(long s, long e, ReadLimits limits) throws BadRequestException {
        if (s == 0 && e == 0) {
            return range(null, null, limits);
        }
        if (e <= s) {
            throw new BadRequestException("http parameter start must be before end. received start=" + s + " end=" + e);
        }
        Duration maxRange = limits.maxRange();
        if (!maxRange.isZero() && Duration.ofSeconds(e - s).compareTo(maxRange) > 0) {
            throw new BadRequestException("range specified by start and end exceeds " + goDuration(maxRange)
                    + ". received start=" + s + " end=" + e + " (" + limits.maxRangeSource() + ")");
        }
        TimeWindow window = new TimeWindow(s * 1_000_000_000L, e * 1_000_000_000L + 999_999_999L);
        return new SearchQuery.QueryRange(window, window);
    }

    static long uint32(String name, String value) throws BadRequestException {
        try {
            return Integer.parseUnsignedInt(value) & 0xFFFFFFFFL;
        } catch (NumberFormatException ex) {
            throw new BadRequestException("invalid " + name + ": strconv.ParseUint: parsing \"" + value + "\": "
                    + (value.chars().allMatch(Character::isDigit) && !value.isEmpty() ? "value out of range" : "invalid syntax"));
        }
    }

    /** Go's {@code time.Duration.String()} for whole seconds: {@code 168h0m0s}, {@code 5m0s}, {@code 30s}. */
    static String goDuration(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) {
            return s / 3600 + "h" + (s % 3600) / 60 + "m" + s % 60 + "s";
        }
        if (s >= 60) {
            return s / 60 + "m" + s % 60 + "s";
        }
        return s + "s";
    }
}
