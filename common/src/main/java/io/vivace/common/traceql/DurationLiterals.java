package io.vivace.common.traceql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Duration literals as the TraceQL lexer reads them: first as a Prometheus duration ({@code 1y2w3d4h5m6s7ms},
 * integers, units in that order), then as a Go duration ({@code 1.5s}, {@code 1h15m30.9s}, {@code 300us}).
 * Values are nanoseconds.
 */
final class DurationLiterals {

    private static final long NS = 1L;
    private static final long US = 1_000L;
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final long M = 60 * S;
    private static final long H = 60 * M;
    private static final long D = 24 * H;
    private static final long W = 7 * D;
    private static final long Y = 365 * D;

    private static final Pattern PROMETHEUS =
            Pattern.compile("(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
    private static final long[] PROMETHEUS_UNITS = {Y, W, D, H, M, S, MS};

    private DurationLiterals() {
    }

    /** True for the characters that may follow a number as part of a duration. */
    static boolean isDurationChar(int c) {
        return (c >= '0' && c <= '9') || c == '.' || c == 'n' || c == 's' || c == 'u' || c == 'µ' || c == 'μ'
                || c == 'm' || c == 'h' || c == 'd' || c == 'w' || c == 'y';
    }

    /** Nanoseconds of {@code text}, or empty when it is neither a Prometheus nor a Go duration (or overflows). */
    static OptionalLong parse(String text) {
        OptionalLong prometheus = parsePrometheus(text);
        return prometheus.isPresent() ? prometheus : parseGo(text);
    }

    private static OptionalLong parsePrometheus(String text) {
        Matcher m = PROMETHEUS.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            return OptionalLong.empty();
        }
        try {
            long total = 0;
            for (int g = 1; g <= 7; g++) {
                if (m.group(g) != null) {
                    total = Math.addExact(total, Math.multiplyExact(Long.parseLong(m.group(g)), PROMETHEUS_UNITS[g - 1]));
                }
            }
            return OptionalLong.of(total);
        } catch (ArithmeticException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong parseGo(String text) {
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int numberStart = i;
            while (i < n && Character.isDigit(text.charAt(i))) {
                i++;
            }
            boolean digits = i > numberStart;
            if (i < n && text.charAt(i) == '.') {
                i++;
                int fractionStart = i;
                while (i < n && Character.isDigit(text.charAt(i))) {
                    i++;
                }
                digits |= i > fractionStart;
            }
            if (!digits) {
                return OptionalLong.empty();
            }
            String number = text.substring(numberStart, i);
            int unitStart = i;
            while (i < n && text.charAt(i) != '.' && !Character.isDigit(text.charAt(i))) {
                i++;
            }
            Long unit = switch (text.substring(unitStart, i)) {
                case "ns" -> NS;
                case "us", "µs", "μs" -> US;
                case "ms" -> MS;
                case "s" -> S;
                case "m" -> M;
                case "h" -> H;
                default -> null;
            };
            if (unit == null) {
                return OptionalLong.empty();
            }
            if (number.endsWith(".")) {
                number = number + "0";
            }
            if (number.startsWith(".")) {
                number = "0" + number;
            }
            total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
        }
        BigInteger nanos = total.setScale(0, RoundingMode.DOWN).toBigInteger();
        if (nanos.bitLength() > 63) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(nanos.longValue());
    }

    /** Go's {@code time.Duration.String()}: {@code 1h0m0s}, {@code 1.5s}, {@code 10ms}, {@code 1.5µs}, {@code 0s}. */
    static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        BigInteger abs = BigInteger.valueOf(nanos).abs();
        if (nanos < 0) {
            out.append('-');
        }
        if (abs.compareTo(BigInteger.valueOf(S)) < 0) {
            long u = abs.longValue();
            if (u < US) {
                return out.append(u).append("ns").toString();
            }
            if (u < MS) {
                return out.append(decimal(u, US)).append("µs").toString();
            }
            return out.append(decimal(u, MS)).append("ms").toString();
        }
        BigInteger[] hours = abs.divideAndRemainder(BigInteger.valueOf(H));
        long rest = hours[1].longValue();
        long minutes = rest / M;
        long secondsNanos = rest % M;
        if (hours[0].signum() > 0) {
            out.append(hours[0]).append('h').append(minutes).append('m');
        } else if (minutes > 0) {
            out.append(minutes).append('m');
        }
        return out.append(decimal(secondsNanos, S)).append('s').toString();
    }

    private static String decimal(long value, long unit) {
        BigDecimal d = BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
}
