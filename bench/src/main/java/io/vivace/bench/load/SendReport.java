package io.vivace.bench.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * What a send run did; {@code errors} counts failed requests by key, {@code errorSamples} keeps one message per key.
 * {@code serverThreads} is {@link ThreadGroupCpu#NONE} and {@code serverRssBytes} -1 unless the run was given the
 * server's process id.
 */
public record SendReport(
    long traces,
    long spansSent,
    long spansAcked,
    long requests,
    long failedRequests,
    long bytesAcked,
    long elapsedNanos,
    long clientCpuNanos,
    long p50Nanos,
    long p90Nanos,
    long p99Nanos,
    long maxNanos,
    ThreadGroupCpu clientThreads,
    ThreadGroupCpu serverThreads,
    long serverRssBytes,
    Map<String, Long> errors,
    Map<String, String> errorSamples) {

    public double seconds() {
        return elapsedNanos / 1e9;
    }

    public double spansPerSecond() {
        return elapsedNanos == 0 ? 0 : spansAcked / seconds();
    }

    /** Acknowledged OTLP payload in MB (10^6 bytes) per second. */
    public double megabytesPerSecond() {
        return elapsedNanos == 0 ? 0 : bytesAcked / 1e6 / seconds();
    }

    /** CPU time of this load tool's process per acknowledged span while sending, in microseconds. */
    public double clientCpuMicrosPerSpan() {
        return spansAcked == 0 ? 0 : clientCpuNanos / 1e3 / spansAcked;
    }

    void print(PrintStream out) {
        out.println("=== send report ===");
        out.printf(Locale.ROOT, "traces          %d%n", traces);
        out.printf(Locale.ROOT, "requests        %d sent, %d ok, %d failed%n", requests, requests - failedRequests, failedRequests);
        out.printf(Locale.ROOT, "spans           %d sent, %d acknowledged%n", spansSent, spansAcked);
        out.printf(Locale.ROOT, "elapsed         %.2f s%n", seconds());
        out.printf(Locale.ROOT, "throughput      %.0f spans/s, %.2f MB/s OTLP payload (%.2f MB acknowledged)%n",
            spansPerSecond(), megabytesPerSecond(), bytesAcked / 1e6);
        out.printf(Locale.ROOT, "client CPU      %.2f s, %.2f us per span (this process, while sending)%n",
            clientCpuNanos / 1e9, clientCpuMicrosPerSpan());
        clientThreads.printGroups(out, spansAcked);
        if (measuredServer()) {
            out.println("server CPU      " + serverThreads.perSpan(spansAcked));
            serverThreads.printGroups(out, spansAcked);
            out.printf(Locale.ROOT, "server RSS      %d MiB at the end%n", serverRssBytes >> 20);
        }
        out.printf(Locale.ROOT, "export latency  p50 %s  p90 %s  p99 %s  max %s%n",
            millis(p50Nanos), millis(p90Nanos), millis(p99Nanos), millis(maxNanos));
        if (errors.isEmpty()) {
            out.println("errors          none");
        } else {
            out.println("errors          by status:");
            errors.forEach((key, count) -> out.printf(Locale.ROOT, "  %-28s %d  (e.g. %s)%n", key, count, errorSamples.get(key)));
        }
    }

    /** One stable {@code key=value} line. */
    String summary(LoadOptions o) {
        return String.format(Locale.ROOT,
            "SUMMARY mode=send protocol=%s traces=%d spans=%d spans_acked=%d requests=%d failed_requests=%d"
                + " seconds=%.2f spans_per_s=%.0f mb_per_s=%.2f export_p50_ms=%.2f export_p90_ms=%.2f"
                + " export_p99_ms=%.2f export_max_ms=%.2f seed=%d spans_per_trace=%d batch_spans=%d concurrency=%d"
                + " services=%d base_time_ms=%d client_cpu_us_per_span=%.2f%s",
            o.protocol().name().toLowerCase(Locale.ROOT), traces, spansSent, spansAcked, requests, failedRequests,
            seconds(), spansPerSecond(), megabytesPerSecond(), p50Nanos / 1e6, p90Nanos / 1e6, p99Nanos / 1e6,
            maxNanos / 1e6, o.seed(), o.spansPerTrace(), o.batchSpans(), o.concurrency(), o.services(), o.baseTimeMs(),
            clientCpuMicrosPerSpan(), !measuredServer() ? "" : String.format(Locale.ROOT,
                " server_cpu_us_per_span=%.2f server_rss_mib=%d", serverCpuMicrosPerSpan(), serverRssBytes >> 20));
    }

    /** One line for a warm-up load. */
    void printBrief(String label, PrintStream out) {
        out.printf(Locale.ROOT, "%s: %d spans acknowledged, %.0f spans/s, %d failed requests; client CPU %.2f us/span%s%n",
            label, spansAcked, spansPerSecond(), failedRequests, clientCpuMicrosPerSpan(),
            measuredServer() ? "; server CPU " + serverThreads.perSpan(spansAcked) : "");
    }

    boolean measuredServer() {
        return serverRssBytes >= 0;
    }

    /** The server's CPU per acknowledged span in µs (0 when not measured). */
    public double serverCpuMicrosPerSpan() {
        return spansAcked == 0 ? 0 : serverThreads.totalSeconds() * 1e6 / spansAcked;
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
}
