package io.vivace.bench.load;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a verify run found. {@code spansMissing}, {@code spansAltered} and {@code spansUnexpected} count spans of
 * traces that were found; the spans of a missing trace are counted only in {@code tracesMissing}.
 */
public record VerifyReport(
    long tracesChecked,
    long tracesFound,
    long tracesComplete,
    long tracesMissing,
    long tracesPartial,
    long spansExpected,
    long spansFound,
    long spansMissing,
    long spansAltered,
    long spansUnexpected,
    long elapsedNanos,
    long p50Nanos,
    long p90Nanos,
    long p99Nanos,
    long maxNanos,
    Map<String, Long> errors,
    Map<String, String> errorSamples,
    List<String> firstDiffs) {

    public boolean ok() {
        return tracesMissing == 0 && spansMissing == 0 && spansAltered == 0 && spansUnexpected == 0 && errors.isEmpty();
    }

    public long failedRequests() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    void print(PrintStream out) {
        out.println("=== verify report ===");
        out.printf(Locale.ROOT, "traces          %d checked: %d found (%d complete and unaltered), %d missing, %d request errors, %d PARTIAL%n",
            tracesChecked, tracesFound, tracesComplete, tracesMissing, failedRequests(), tracesPartial);
        out.printf(Locale.ROOT, "spans           %d expected in found traces: %d found, %d missing, %d altered, %d unexpected%n",
            spansExpected, spansFound, spansMissing, spansAltered, spansUnexpected);
        out.printf(Locale.ROOT, "elapsed         %.2f s%n", elapsedNanos / 1e9);
        out.printf(Locale.ROOT, "trace-by-id     p50 %s  p90 %s  p99 %s  max %s%n", SendReport.millis(p50Nanos),
            SendReport.millis(p90Nanos), SendReport.millis(p99Nanos), SendReport.millis(maxNanos));
        if (!errors.isEmpty()) {
            out.println("request errors  by status:");
            errors.forEach((key, count) -> out.printf(Locale.ROOT, "  %-28s %d  (e.g. %s)%n", key, count, errorSamples.get(key)));
        }
        if (!firstDiffs.isEmpty()) {
            out.println("first differences:");
            firstDiffs.forEach(d -> out.println("  " + d));
        }
        out.println("result          " + (ok() ? "OK" : "FAIL"));
    }

    String summary(LoadOptions o) {
        return String.format(Locale.ROOT,
            "SUMMARY mode=verify result=%s traces=%d found=%d complete=%d missing=%d partial=%d request_errors=%d"
                + " spans_expected=%d spans_found=%d spans_missing=%d spans_altered=%d spans_unexpected=%d seconds=%.2f"
                + " query_p50_ms=%.2f query_p90_ms=%.2f query_p99_ms=%.2f query_max_ms=%.2f seed=%d spans_per_trace=%d"
                + " services=%d base_time_ms=%d",
            ok() ? "OK" : "FAIL", tracesChecked, tracesFound, tracesComplete, tracesMissing, tracesPartial,
            failedRequests(), spansExpected, spansFound, spansMissing, spansAltered, spansUnexpected,
            elapsedNanos / 1e9, p50Nanos / 1e6, p90Nanos / 1e6, p99Nanos / 1e6, maxNanos / 1e6, o.seed(),
            o.spansPerTrace(), o.services(), o.baseTimeMs());
    }
}
