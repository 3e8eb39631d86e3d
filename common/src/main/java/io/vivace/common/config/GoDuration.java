package io.vivace.common.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written the way Tempo (Go) writes them: {@code 10s}, {@code 1h30m}, {@code 250ms}, {@code 336h}. */
public final class GoDuration {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d|w)");

    private GoDuration() {
    }

    public static Duration parse(String text) {
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(s);
        int pos = 0;
        double nanos = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("invalid duration '" + text + "' (expected e.g. 10s, 5m, 1h30m, 250ms)");
            }
            double value = Double.parseDouble(m.group(1));
            nanos += value * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                case "d" -> 86400e9;
                default -> 7 * 86400e9;
            };
            pos = m.end();
        }
        return Duration.ofNanos((long) nanos);
    }

    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        StringBuilder out = new StringBuilder();
        if (s >= 3600) {
            out.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            out.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0) {
            out.append(s).append('s');
        }
        return out.toString();
    }
}
