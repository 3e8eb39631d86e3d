package io.vivace.bench.load;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Iterator;
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
    private final long traceCount;
    private final int batchSpans;
    private final OtlpSender sender;
    private final PrintStream out;

    private final Semaphore permits;
    private Batches encodedAhead;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final AtomicLong spansSent = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final LongAdder spansAcked = new LongAdder();
    private final LongAdder bytesAcked = new LongAdder();
    private final LongAdder failedRequests = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, String> errorSamples = new ConcurrentHashMap<>();

    SendRun(LoadOptions options, SyntheticTraces generator, long traceCount, int batchSpans, OtlpSender sender,
            PrintStream out) {
        this.options = options;
        this.generator = generator;
        this.traceCount = traceCount;
        this.batchSpans = batchSpans;
        this.sender = sender;
        this.out = out;
        this.permits = new Semaphore(options.concurrency());
    }

    /**
     * With {@code --encode-ahead}: generates and serializes every request now, before {@link #run} starts its clock,
     * so the run measures sending, not generating (the client shares the machine with the server it measures).
     */
    void encodeAhead() {
        long start = System.nanoTime();
        Batches batches = new Batches(generator, batchSpans, traceCount, Long.MAX_VALUE);
        List<EncodedBatch> all = new ArrayList<>();
        long bytes = 0;
        for (EncodedBatch batch = batches.next(); batch != null; batch = batches.next()) {
            all.add(batch);
            bytes += batch.exportRequest().length;
        }
        encodedAhead = new Batches(all, batches.traces());
        out.printf(Locale.ROOT, "encoded ahead   %d requests, %.2f MB in %.2f s%n", all.size(), bytes / 1e6,
            (System.nanoTime() - start) / 1e9);
    }

    SendReport run() throws InterruptedException {
        long cpuStart = processCpuNanos();
        ThreadGroupCpu.Snapshot clientBefore = ThreadGroupCpu.Snapshot.ofThisProcess();
        ThreadGroupCpu.Snapshot serverBefore = options.measuresServer() ? ThreadGroupCpu.Snapshot.of(options.serverPid()) : null;
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
            Batches batches = encodedAhead != null ? encodedAhead : new Batches(generator, batchSpans, traceCount, deadline);
            for (EncodedBatch batch = batches.next(); batch != null; batch = batches.next()) {
                submit(batch);
            }
            traces = batches.traces();
            permits.acquire(options.concurrency()); // wait for every request in flight
        } finally {
            progress.shutdownNow();
        }
        long elapsed = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuStart;
        ThreadGroupCpu clientThreads = ThreadGroupCpu.Snapshot.ofThisProcess().since(clientBefore);
        ThreadGroupCpu serverThreads = serverBefore == null ? ThreadGroupCpu.NONE
            : ThreadGroupCpu.Snapshot.of(options.serverPid()).since(serverBefore);
        long serverRss = serverBefore == null ? -1 : ServerProcess.residentBytes(options.serverPid());

        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((key, count) -> errorCounts.put(key, count.sum()));
        return new SendReport(traces, spansSent.get(), spansAcked.sum(), requests.get(), failedRequests.sum(),
            bytesAcked.sum(), elapsed, cpu, latency.percentileNanos(0.5), latency.percentileNanos(0.9),
            latency.percentileNanos(0.99), latency.maxNanos(), clientThreads, serverThreads, serverRss, errorCounts, new TreeMap<>(errorSamples));
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
            ? os.getProcessCpuTime() : 0;
    }

    private void submit(EncodedBatch batch) throws InterruptedException {
        int spanCount = batch.spans();
        int bytes = batch.exportRequest().length;
        permits.acquire();
        spansSent.addAndGet(spanCount);
        requests.incrementAndGet();
        long sentAt = System.nanoTime();
        sender.send(batch.exportRequest()).whenComplete((outcome, unexpected) -> {
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

    /** One serialized export request and the number of spans in it. */
    record EncodedBatch(byte[] exportRequest, int spans) {}

    /**
     * Traces 0, 1, 2, ... cut into requests of {@code batchSpans} spans, generated and serialized one request at a
     * time, or replayed from a list encoded ahead.
     */
    static final class Batches {
        private final SyntheticTraces generator;
        private final int batchSpans;
        private final long traceCount;
        private final long deadline;
        private final Iterator<EncodedBatch> ahead;
        private List<SyntheticTraces.GeneratedSpan> pending = new ArrayList<>();
        private long nextTrace;

        Batches(SyntheticTraces generator, int batchSpans, long traceCount, long deadlineNanos) {
            this.generator = generator;
            this.batchSpans = batchSpans;
            this.traceCount = traceCount;
            this.deadline = deadlineNanos;
            this.ahead = null;
        }

        Batches(List<EncodedBatch> encoded, long traces) {
            this.generator = null;
            this.batchSpans = 0;
            this.traceCount = 0;
            this.deadline = 0;
            this.ahead = encoded.iterator();
            this.nextTrace = traces;
        }

        /** The traces generated so far; once {@link #next} returned null, the traces sent. */
        long traces() {
            return nextTrace;
        }

        /** The next request, or null when every trace has been handed out (or the deadline passed). */
        EncodedBatch next() {
            if (ahead != null) return ahead.hasNext() ? ahead.next() : null;
            while (pending.size() < batchSpans && nextTrace < traceCount && System.nanoTime() < deadline) {
                pending.addAll(generator.trace(nextTrace++));
            }
            if (pending.isEmpty()) return null;
            int n = Math.min(batchSpans, pending.size());
            List<SyntheticTraces.GeneratedSpan> batch = pending.subList(0, n);
            EncodedBatch encoded = new EncodedBatch(SyntheticTraces.toRequest(batch).toByteArray(), n);
            pending = new ArrayList<>(pending.subList(n, pending.size()));
            return encoded;
        }
    }
}
