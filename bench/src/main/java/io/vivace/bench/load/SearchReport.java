package io.vivace.bench.load;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a search run measured and found, per query. */
public record SearchReport(int limit, int repeats, List<QueryResult> queries) {

    /**
     * One query: {@code requests} sent, failures by key, the first answer's trace count and
     * {@code inspectedSpans}, latency percentiles of all requests, and what the check found wrong.
     */
    public record QueryResult(
        String query,
        long requests,
        Map<String, Long> errors,
        Map<String, String> errorSamples,
        int traces,
        long inspectedSpans,
        long p50Nanos,
        long p90Nanos,
        long p99Nanos,
        long maxNanos,
        List<String> problems) {

        public boolean ok() {
            return errors.isEmpty() && problems.isEmpty();
        }

        long failedRequests() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public boolean ok() {
        return queries.stream().allMatch(QueryResult::ok);
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "=== search report (limit %d, %d requests per query) ===%n", limit, repeats);
        out.printf(Locale.ROOT, "%-80s %7s %9s %9s %9s %9s %7s %12s %s%n",
            "query", "traces", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors", "inspected", "check");
        for (QueryResult q : queries) {
            out.printf(Locale.ROOT, "%-80s %7d %9.2f %9.2f %9.2f %9.2f %7d %12d %s%n", q.query(), q.traces(),
                q.p50Nanos() / 1e6, q.p90Nanos() / 1e6, q.p99Nanos() / 1e6, q.maxNanos() / 1e6, q.failedRequests(),
                q.inspectedSpans(), q.problems().isEmpty() ? "OK" : "FAIL");
            q.errors().forEach((key, count) ->
                out.printf(Locale.ROOT, "    request errors %s: %d (e.g. %s)%n", key, count, q.errorSamples().get(key)));
            q.problems().stream().limit(10).forEach(p -> out.println("    " + p));
        }
        out.println("result          " + (ok() ? "OK" : "FAIL"));
    }

    /** One {@code SUMMARY} line per query. */
    String summary(LoadOptions o) {
        StringBuilder lines = new StringBuilder();
        for (QueryResult q : queries) {
            if (!lines.isEmpty()) lines.append(System.lineSeparator());
            lines.append(String.format(Locale.ROOT,
                "SUMMARY mode=search result=%s limit=%d requests=%d request_errors=%d traces=%d inspected_spans=%d"
                    + " p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f seed=%d query=%s",
                q.ok() ? "OK" : "FAIL", limit, q.requests(), q.failedRequests(), q.traces(), q.inspectedSpans(),
                q.p50Nanos() / 1e6, q.p90Nanos() / 1e6, q.p99Nanos() / 1e6, q.maxNanos() / 1e6, o.seed(), q.query()));
        }
        return lines.toString();
    }
}
