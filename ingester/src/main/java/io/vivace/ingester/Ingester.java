package io.vivace.ingester;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.block.BackendBlock;
import io.vivace.common.block.BlockMeta;
import io.vivace.common.block.BlockWriter;
import io.vivace.common.block.TraceRecord;
import io.vivace.common.ingest.IngestBatch;
import io.vivace.common.ingest.IngestRejectedException;
import io.vivace.common.ingest.TraceIngest;
import io.vivace.common.limits.Overrides;
import io.vivace.common.limits.TenantLimits;
import io.vivace.common.model.TraceCombiner;
import io.vivace.common.model.TraceId;
import io.vivace.common.model.TracesDataParser;
import io.vivace.common.query.TimeWindow;
import io.vivace.common.query.TraceByIdSource;
import io.vivace.common.query.TraceScanSource;
import io.vivace.common.query.TraceVisitor;
import io.vivace.common.storage.Backend;
import io.vivace.ingester.wal.IngestBatchCodec;
import io.vivace.ingester.wal.WriteAheadLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds recent traces per tenant and turns them into backend blocks. An export is acknowledged once its batch
 * is in the write-ahead log; the batch is visible to queries before the acknowledgement. A periodic sweep
 * moves idle traces into the tenant's head block and cuts head blocks by size or age; cut blocks are written
 * to the backend on a flush thread, after which the WAL segments nothing needs any more are deleted.
 */
public final class Ingester implements TraceIngest, TraceByIdSource, TraceScanSource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Ingester.class);
    private static final long FIRST_RETRY_MILLIS = 1000;
    private static final long MAX_RETRY_MILLIS = 60_000;

    private final IngesterSettings settings;
    private final WriteAheadLog wal;
    private final Backend backend;
    private final BlockWriter blockWriter;
    private final Path headDir;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, TenantInstance> tenants = new ConcurrentHashMap<>();
    /** Sweeps release live traces' memory once written to the head block, so they run one at a time. */
    private final Object sweepLock = new Object();
    private final LiveTraceMemory liveTraceMemory = LiveTraceMemory.withDefaultBudget();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "ingester-sweep"));
    private final ExecutorService flusher;
    private final MeterRegistry metrics;
    private final Timer walAppendLatency;
    private final Timer blockFlushLatency;
    private final Counter blocksFlushed;
    private final Counter blockFlushFailures;
    private final Counter memoryPressureSweeps;
    private final AtomicBoolean memoryPressureSweepQueued = new AtomicBoolean();
    private final Overrides overrides;
    /** Flushes started and not yet finished (retrying ones included); close waits for them. */
    private final java.util.Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean closed;

    /** With the default limits for every tenant. */
    public Ingester(IngesterSettings settings, WriteAheadLog wal, Path headDir, Backend backend, BlockWriter blockWriter,
                    MeterRegistry metrics, LongSupplier nanoClock) throws IOException {
        this(settings, wal, headDir, backend, blockWriter, metrics, nanoClock, Overrides.fixed(TenantLimits.defaults()));
    }

    /**
     * {@code overrides} gives each tenant's {@code max_traces_per_user} (live traces) and {@code max_bytes_per_trace};
     * spans over them are dropped and counted, and the export still succeeds, as in Tempo.
     */
    public Ingester(IngesterSettings settings, WriteAheadLog wal, Path headDir, Backend backend, BlockWriter blockWriter,
                    MeterRegistry metrics, LongSupplier nanoClock, Overrides overrides) throws IOException {
        this.overrides = overrides;
        this.settings = settings;
        this.wal = wal;
        this.backend = backend;
        this.blockWriter = blockWriter;
        this.headDir = headDir;
        this.nanoClock = nanoClock;
        this.metrics = metrics;
        this.flusher = Executors.newFixedThreadPool(settings.concurrentFlushes(), r -> thread(r, "ingester-flush"));
        this.walAppendLatency = Timer.builder("vivace_ingester_wal_append_duration").description("WAL append until durable")
                .publishPercentileHistogram().register(metrics);
        this.blockFlushLatency = Timer.builder("vivace_ingester_block_flush_duration").description("Head block to backend block")
                .publishPercentileHistogram().register(metrics);
        this.blocksFlushed = Counter.builder("vivace_ingester_blocks_flushed_total").register(metrics);
        this.blockFlushFailures = Counter.builder("vivace_ingester_block_flush_failures_total").register(metrics);
        Gauge.builder("vivace_ingester_live_traces", tenants, t -> t.values().stream().mapToInt(TenantInstance::liveTraceCount).sum())
                .description("Traces still receiving spans").register(metrics);
        Gauge.builder("vivace_ingester_live_trace_direct_bytes", liveTraceMemory, LiveTraceMemory::directBytes)
                .description("Direct memory held for live traces' bytes (in use and pooled)").register(metrics);
        this.memoryPressureSweeps = Counter.builder("vivace_ingester_memory_pressure_sweeps_total")
                .description("Sweeps that moved the least recently appended live traces to the head block because live traces had used up their direct memory")
                .register(metrics);
        liveTraceMemory.onBudgetReached(this::relieveMemoryPressure);
        deleteLeftoverHeadBlocks();
        replayWal();
    }

    /** Starts the periodic sweep (not started by the constructor so tests can drive sweeps themselves). */
    public void start() {
        long period = settings.flushCheckPeriod().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepSafely, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Void> push(IngestBatch batch) {
        if (closed) {
            return CompletableFuture.failedFuture(new IngestRejectedException(IngestRejectedException.Reason.UNAVAILABLE, "ingester is shutting down"));
        }
        TenantLimits limits = overrides.forTenant(batch.tenant());
        // The record lands in this segment or a later one, so the live traces never claim a segment too late.
        long segment = wal.currentSegment();
        TenantInstance.Admitted admitted = instance(batch.tenant()).append(batch.fragments(), segment, nanoClock.getAsLong(),
                limits.maxTracesPerUser(), limits.maxBytesPerTrace());
        discarded(batch.tenant(), "trace_too_large", admitted.tooLargeSpans());
        discarded(batch.tenant(), "live_traces_exceeded", admitted.liveTracesExceededSpans());
        if (admitted.fragments().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        // Only what was admitted goes to the WAL, so a replay rebuilds exactly the accepted data.
        IngestBatch logged = admitted.all(batch.fragments().size()) ? batch
                : new IngestBatch(batch.tenant(), admitted.fragments(), admitted.spanCount(),
                        admitted.fragments().stream().mapToLong(f -> f.tracesData().length).sum());
        byte[][] record = IngestBatchCodec.encodeParts(logged);
        long start = System.nanoTime();
        return wal.appendParts(record).handle((seg, error) -> {
            if (error != null) {
                throw new IngestRejectedException(IngestRejectedException.Reason.UNAVAILABLE, "write-ahead log append failed: " + rootMessage(error));
            }
            walAppendLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return null;
        });
    }

    @Override
    public CompletableFuture<List<TracesData>> findTraceById(String tenant, TraceId id, long startSeconds, long endSeconds) {
        TenantInstance instance = tenants.get(tenant);
        if (instance == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        try {
            return CompletableFuture.completedFuture(instance.find(id, startSeconds, endSeconds));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void scan(String tenant, TimeWindow window, TraceVisitor visitor) throws IOException {
        TenantInstance instance = tenants.get(tenant);
        if (instance != null) {
            instance.scan(window, visitor);
        }
    }

    /**
     * One sweep: idle traces into head blocks, head blocks cut by size or age and queued for flushing, expired
     * flushed blocks dropped. With {@code forceAll} every trace and every non-empty head block is cut now.
     */
    public List<CompletableFuture<Void>> sweep(boolean forceAll) throws IOException {
        synchronized (sweepLock) {
            return sweepNow(forceAll);
        }
    }

    private List<CompletableFuture<Void>> sweepNow(boolean forceAll) throws IOException {
        long now = nanoClock.getAsLong();
        long idleCutoff = now - settings.traceIdlePeriod().toNanos();
        List<CompletableFuture<Void>> flushes = new java.util.ArrayList<>();
        for (TenantInstance instance : tenants.values()) {
            instance.moveIdleTracesToHead(idleCutoff, forceAll);
            HeadBlock head = instance.head();
            boolean due = head.bytes() >= settings.maxBlockBytes()
                    || now - head.createdNanos >= settings.maxBlockDuration().toNanos();
            if (forceAll || due) {
                HeadBlock cut = instance.cutHead(now);
                if (cut != null) {
                    CompletableFuture<Void> flush = CompletableFuture.runAsync(() -> flushWithRetry(instance, cut), flusher);
                    inFlight.add(flush);
                    flush.whenComplete((ok, error) -> inFlight.remove(flush));
                    flushes.add(flush);
                }
            }
            instance.expireFlushed(now - settings.completeBlockTimeout().toNanos());
        }
        return flushes;
    }

    /** Cuts everything in memory into blocks and waits until they are in the backend. */
    public void flushAll() throws IOException {
        CompletableFuture.allOf(sweep(true).toArray(CompletableFuture[]::new)).join();
    }

    /**
     * Live traces have used up their direct memory (a quarter of the heap limit): rather than letting them grow on the
     * heap until the next sweep, the sweeper moves the least recently appended half of them to the head blocks now
     * (decision 0605). Called under {@link LiveTraceMemory}'s lock, so it only queues the work.
     */
    private void relieveMemoryPressure() {
        if (closed || !memoryPressureSweepQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            sweeper.execute(() -> {
                try {
                    synchronized (sweepLock) {
                        memoryPressureSweeps.increment();
                        for (TenantInstance instance : tenants.values()) {
                            instance.moveLeastRecentToHead(0.5);
                        }
                    }
                } catch (Exception e) {
                    log.error("ingester memory pressure sweep failed", e);
                } finally {
                    memoryPressureSweepQueued.set(false);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            memoryPressureSweepQueued.set(false);
        }
    }

    private void sweepSafely() {
        try {
            sweep(false);
        } catch (Exception e) {
            log.error("ingester sweep failed", e);
        }
    }

    /**
     * Writes the block, retrying with exponential backoff until it is in the backend. Until then the head block
     * stays readable (in {@code completing}) and its WAL segments stay on disk. A retry rewrites the same block ID,
     * so it replaces what a failed attempt may have left. Once the ingester closes, a failed attempt is not retried:
     * the WAL keeps the data for the next start.
     */
    private void flushWithRetry(TenantInstance instance, HeadBlock head) {
        long backoffMillis = FIRST_RETRY_MILLIS;
        while (true) {
            try {
                flush(instance, head);
                return;
            } catch (Exception e) {
                blockFlushFailures.increment();
                if (closed) {
                    log.error("block {} of tenant {} could not be flushed at shutdown; the WAL keeps its data", head.id, instance.tenant, e);
                    return;
                }
                log.warn("flushing block {} of tenant {} failed, retrying in {} ms: {}", head.id, instance.tenant, backoffMillis, e.toString());
                try {
                    if (closing.await(backoffMillis, TimeUnit.MILLISECONDS)) {
                        backoffMillis = 0; // shutting down: one last attempt now
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMillis = Math.min(Math.max(backoffMillis * 2, FIRST_RETRY_MILLIS), MAX_RETRY_MILLIS);
            }
        }
    }

    private void flush(TenantInstance instance, HeadBlock head) throws IOException {
        long start = System.nanoTime();
        List<TraceId> ids = head.sortedTraceIds();
        Iterator<TraceRecord> records = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < ids.size();
            }

            @Override
            public TraceRecord next() {
                TraceId id = ids.get(next++);
                try {
                    TracesData trace = TraceCombiner.combine(List.of(TracesDataParser.parse(head.read(id))));
                    return new TraceRecord(id, trace);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        BlockMeta meta;
        try {
            meta = blockWriter.write(backend, instance.tenant, head.id, 0, records);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        BackendBlock block = BackendBlock.open(backend, meta);
        instance.completed(head, new FlushedBlock(meta, block, nanoClock.getAsLong()));
        blocksFlushed.increment();
        blockFlushLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        log.info("flushed block {} of tenant {}: {} traces, {} spans, {} bytes", meta.blockId(), instance.tenant, ids.size(),
                head.spanCount(), meta.size());
        releaseWalSegments();
    }

    /** Deletes WAL segments that hold nothing which is not yet in a backend block. */
    private synchronized void releaseWalSegments() {
        long current = wal.currentSegment();
        long keepFrom = current;
        for (TenantInstance instance : tenants.values()) {
            keepFrom = Math.min(keepFrom, instance.minSegmentInUse());
        }
        wal.deleteSegmentsBefore(keepFrom);
    }

    private TenantInstance instance(String tenant) {
        return tenants.computeIfAbsent(tenant, t -> {
            try {
                return new TenantInstance(t, headDir.resolve(t), liveTraceMemory, nanoClock.getAsLong());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void replayWal() {
        long start = System.nanoTime();
        long[] counts = new long[2];
        wal.replay((segment, payload) -> {
            IngestBatch batch = IngestBatchCodec.decode(payload);
            instance(batch.tenant()).append(batch.fragments(), segment, nanoClock.getAsLong());
            counts[0]++;
            counts[1] += batch.spanCount();
        });
        if (counts[0] > 0) {
            log.info("replayed {} WAL records ({} spans) in {} ms", counts[0], counts[1], (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** Head block files are rebuilt from the WAL on start, so any left from a previous run are dropped. */
    private void deleteLeftoverHeadBlocks() throws IOException {
        if (!Files.exists(headDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(headDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(headDir)) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Flushes everything in memory to the backend, then closes the WAL. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing.countDown();
        sweeper.shutdown();
        boolean allInBlocks = false;
        try {
            sweeper.awaitTermination(1, TimeUnit.MINUTES);
            flushAll();
            // Flushes still retrying make one more attempt now; the WAL is closed only after they are done.
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
            allInBlocks = tenants.values().stream().allMatch(t -> t.minSegmentInUse() == Long.MAX_VALUE);
        } catch (Exception e) {
            log.error("flush at shutdown failed; the WAL keeps the data for the next start", e);
        }
        flusher.shutdown();
        wal.close();
        if (allInBlocks) {
            wal.deleteAllSegmentsAfterClose();
        }
    }

    private void discarded(String tenant, String reason, int spans) {
        if (spans > 0) {
            Counter.builder("vivace_ingester_spans_discarded_total").description("Spans dropped by per-tenant limits")
                    .tag("tenant", tenant).tag("reason", reason).register(metrics).increment(spans);
        }
    }

    int liveTraces(String tenant) {
        TenantInstance instance = tenants.get(tenant);
        return instance == null ? 0 : instance.liveTraceCount();
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return String.valueOf(e.getMessage());
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
