package io.vivace.bench.load;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Generates traces 0, 1, 2, ... in order, cuts their spans into export requests of {@code --batch-spans} spans
 * (a trace may straddle requests) and keeps at most {@code --concurrency} requests in flight.
 */
final class SendRun {
    private final LoadOptions options;
    private final SyntheticTraces generator;
    private final OtlpSender sender;
    private final PrintStream out;

    private final Semaphore permits;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final AtomicLong spansSent = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final LongAdder spansAcked = new LongAdder();
    private final LongAdder bytesAcked = new LongAdder();
    private final LongAdder failedRequests = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, String> errorSamples = new ConcurrentHashMap<>();

    SendRun(LoadOptions options, SyntheticTraces generator, OtlpSender sender, PrintStream out) {
        this.options = options;
        this.generator = generator;
        this.sender = sender;
        this.out = out;
        this.permits = new Semaphore(options.concurrency());
    }

    SendReport run() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = options.duration() == null ? Long.MAX_VALUE : start + options.duration().toNanos();
        ScheduledExecutorService progress = Progress.start(options.progressInterval(), new Progress.Line() {
            private long lastSpans;
            private long lastBytes;
            private long lastTime = start;

            @Override
            public String next() {
                long now = System.nanoTime();
                long spans = spansAcked.sum();
                long bytes = bytesAcked.sum();
                double dt = Math.max(1, now - lastTime) / 1e9;
                String line = String.format(Locale.ROOT,
                    "[send %6.1fs] spans %d sent, %d acked (%.0f spans/s, %.2f MB/s)  in-flight %d  failed requests %d  p50 %s  p99 %s",
                    (now - start) / 1e9, spansSent.get(), spans, (spans - lastSpans) / dt, (bytes - lastBytes) / 1e6 / dt,
                    options.concurrency() - permits.availablePermits(), failedRequests.sum(),
                    SendReport.millis(latency.percentileNanos(0.5)), SendReport.millis(latency.percentileNanos(0.99)));
                lastSpans = spans;
                lastBytes = bytes;
                lastTime = now;
                return line;
            }
        }, out);

        long traces = 0;
        try {
            List<SyntheticTraces.GeneratedSpan> pending = new ArrayList<>(options.batchSpans());
            for (long i = 0; i < options.traces() && System.nanoTime() < deadline; i++) {
                for (SyntheticTraces.GeneratedSpan span : generator.trace(i)) {
                    pending.add(span);
                    if (pending.size() == options.batchSpans()) {
                        submit(pending);
                        pending = new ArrayList<>(options.batchSpans());
                    }
                }
                traces++;
            }
            if (!pending.isEmpty()) submit(pending);
            permits.acquire(options.concurrency()); // wait for every request in flight
        } finally {
            progress.shutdownNow();
        }
        long elapsed = System.nanoTime() - start;

        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((key, count) -> errorCounts.put(key, count.sum()));
        return new SendReport(traces, spansSent.get(), spansAcked.sum(), requests.get(), failedRequests.sum(),
            bytesAcked.sum(), elapsed, latency.percentileNanos(0.5), latency.percentileNanos(0.9),
            latency.percentileNanos(0.99), latency.maxNanos(), errorCounts, new TreeMap<>(errorSamples));
    }

    private void submit(List<SyntheticTraces.GeneratedSpan> spans) throws InterruptedException {
        ExportTraceServiceRequest request = SyntheticTraces.toRequest(spans);
        int spanCount = spans.size();
        int bytes = request.getSerializedSize();
        permits.acquire();
        spansSent.addAndGet(spanCount);
        requests.incrementAndGet();
        long sentAt = System.nanoTime();
        sender.send(request).whenComplete((outcome, unexpected) -> {
            try {
                latency.record(System.nanoTime() - sentAt);
                OtlpSender.Outcome result = unexpected != null ? OtlpSender.failure(unexpected) : outcome;
                if (result.ok()) {
                    spansAcked.add(spanCount);
                    bytesAcked.add(bytes);
                } else {
                    failedRequests.increment();
                    errors.computeIfAbsent(result.errorKey(), k -> new LongAdder()).increment();
                    errorSamples.putIfAbsent(result.errorKey(), String.valueOf(result.detail()));
                }
            } finally {
                permits.release();
            }
        });
    }
}
