package io.vivace.bench.load;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import io.vivace.common.proto.tempopb.PartialStatus;
import io.vivace.common.proto.tempopb.TraceByIDResponse;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;

/**
 * Fetches every trace with {@code GET /api/v2/traces/{id}} ({@code Accept: application/protobuf}) and compares it
 * with the regenerated one. Up to {@code --concurrency} requests are in flight; comparisons run off the event loop.
 */
final class VerifyRun {
    static final MediaType PROTOBUF = MediaType.create("application", "protobuf");
    private static final int MAX_DETAIL = 200;

    private final LoadOptions options;
    private final SyntheticTraces generator;
    private final WebClient client;
    private final String pathPrefix;
    private final PrintStream out;

    private final Semaphore permits;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final Stats stats = new Stats();

    VerifyRun(LoadOptions options, SyntheticTraces generator, WebClient client, String pathPrefix, PrintStream out) {
        this.options = options;
        this.generator = generator;
        this.client = client;
        this.pathPrefix = pathPrefix.endsWith("/") ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix;
        this.out = out;
        this.permits = new Semaphore(options.concurrency());
    }

    /** Checks traces {@code [0, traces)}. */
    VerifyReport run(long traces) throws InterruptedException {
        long start = System.nanoTime();
        ExecutorService comparing = Executors.newFixedThreadPool(Math.min(2, options.concurrency()), r -> {
            Thread t = new Thread(r, "load-verify");
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService progress = Progress.start(options.progressInterval(), () -> String.format(Locale.ROOT,
            "[verify %6.1fs] traces %d checked, %d missing, %d spans missing, %d altered, %d request errors  p50 %s  p99 %s",
            (System.nanoTime() - start) / 1e9, stats.checked(), stats.tracesMissing(), stats.spansMissing(),
            stats.spansAltered(), stats.failedRequests(), SendReport.millis(latency.percentileNanos(0.5)),
            SendReport.millis(latency.percentileNanos(0.99))), out);
        try {
            for (long i = 0; i < traces; i++) {
                permits.acquire();
                check(i, comparing);
            }
            permits.acquire(options.concurrency());
        } finally {
            progress.shutdownNow();
            comparing.shutdownNow();
        }
        return stats.report(System.nanoTime() - start, latency, options.maxDiffs());
    }

    private void check(long i, ExecutorService comparing) {
        String traceIdHex = generator.traceIdHex(i);
        RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.GET, pathPrefix + "/api/v2/traces/" + traceIdHex)
            .accept(PROTOBUF);
        if (options.tenant() != null) headers.set("x-scope-orgid", options.tenant());
        long sentAt = System.nanoTime();
        CompletableFuture<AggregatedHttpResponse> fetch;
        try {
            fetch = client.execute(headers.build()).aggregate();
        } catch (RuntimeException e) {
            fetch = CompletableFuture.failedFuture(e);
        }
        fetch
            .handle((response, error) -> {
                latency.record(System.nanoTime() - sentAt);
                return new Fetched(response, error);
            })
            .thenAcceptAsync(fetched -> evaluate(i, traceIdHex, fetched), comparing)
            .whenComplete((ignored, unexpected) -> {
                if (unexpected != null) stats.requestError(OtlpSender.failure(unexpected));
                permits.release();
            });
    }

    private record Fetched(AggregatedHttpResponse response, Throwable error) {}

    private void evaluate(long i, String traceIdHex, Fetched fetched) {
        if (fetched.error() != null) {
            stats.requestError(OtlpSender.failure(fetched.error()));
            return;
        }
        AggregatedHttpResponse response = fetched.response();
        int code = response.status().code();
        if (code == 404) {
            stats.traceMissing(traceIdHex);
            return;
        }
        if (code != 200) {
            String body = response.contentUtf8();
            stats.requestError(new OtlpSender.Outcome("http:" + code,
                body.length() > MAX_DETAIL ? body.substring(0, MAX_DETAIL) : body));
            return;
        }
        TraceByIDResponse parsed;
        try {
            parsed = TraceByIDResponse.parseFrom(response.content().array());
        } catch (InvalidProtocolBufferException e) {
            stats.requestError(new OtlpSender.Outcome("decode", "trace " + traceIdHex + ": " + e.getMessage()
                + " (Content-Type " + response.contentType() + ")"));
            return;
        }
        boolean empty = parsed.getTrace().getResourceSpansList().stream()
            .allMatch(rs -> rs.getScopeSpansList().stream().allMatch(ss -> ss.getSpansCount() == 0));
        if (empty) {
            stats.traceMissing(traceIdHex);
            return;
        }
        TraceComparator.TraceCheck check = TraceComparator.compare(traceIdHex, generator.trace(i), parsed.getTrace());
        stats.traceFound(check, parsed.getStatus() == PartialStatus.PARTIAL);
    }

    /** Counters shared by the comparing threads. */
    private static final class Stats {
        private long checked;
        private long found;
        private long complete;
        private long missing;
        private long partial;
        private long spansExpected;
        private long spansFound;
        private long spansMissing;
        private long spansAltered;
        private long spansUnexpected;
        private final Map<String, Long> errors = new TreeMap<>();
        private final Map<String, String> errorSamples = new TreeMap<>();
        private final List<String> diffs = new ArrayList<>();

        synchronized void traceMissing(String traceIdHex) {
            checked++;
            missing++;
            diffs.add("trace " + traceIdHex + ": not found");
        }

        synchronized void traceFound(TraceComparator.TraceCheck check, boolean isPartial) {
            checked++;
            found++;
            if (check.clean()) complete++;
            if (isPartial) partial++;
            spansExpected += check.expectedSpans();
            spansFound += check.foundSpans();
            spansMissing += check.missingSpans();
            spansAltered += check.alteredSpans();
            spansUnexpected += check.unexpectedSpans();
            if (diffs.size() < 10_000) diffs.addAll(check.diffs());
        }

        synchronized void requestError(OtlpSender.Outcome outcome) {
            checked++;
            errors.merge(outcome.errorKey(), 1L, Long::sum);
            errorSamples.putIfAbsent(outcome.errorKey(), String.valueOf(outcome.detail()));
        }

        synchronized long checked() {
            return checked;
        }

        synchronized long tracesMissing() {
            return missing;
        }

        synchronized long spansMissing() {
            return spansMissing;
        }

        synchronized long spansAltered() {
            return spansAltered;
        }

        synchronized long failedRequests() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        synchronized VerifyReport report(long elapsedNanos, LatencyHistogram latency, int maxDiffs) {
            return new VerifyReport(checked, found, complete, missing, partial, spansExpected, spansFound,
                spansMissing, spansAltered, spansUnexpected, elapsedNanos, latency.percentileNanos(0.5),
                latency.percentileNanos(0.9), latency.percentileNanos(0.99), latency.maxNanos(),
                new TreeMap<>(errors), new TreeMap<>(errorSamples), List.copyOf(diffs.subList(0, Math.min(maxDiffs, diffs.size()))));
        }
    }
}
