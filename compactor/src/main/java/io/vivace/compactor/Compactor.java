package io.vivace.compactor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vivace.common.block.BackendBlock;
import io.vivace.common.block.BlockKeys;
import io.vivace.common.block.BlockMeta;
import io.vivace.common.block.BlockWriter;
import io.vivace.common.block.TenantIndex;
import io.vivace.common.block.TenantIndex.CompactedBlock;
import io.vivace.common.block.TraceRecord;
import io.vivace.common.limits.Overrides;
import io.vivace.common.storage.Backend;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per tenant, each cycle: deletes compacted blocks past their grace period, retires blocks past the tenant's
 * retention, merges small blocks of the same window and level into one, and rewrites the tenant index.
 *
 * <p>Safety with several compactors: each owns the jobs, retention and index of the keys that hash to its shard
 * ({@link CompactionPolicy#owns}), so no two compactors touch the same block. Crash safety: the output block is
 * complete (its {@code meta.json} written last) before any input is marked compacted, so a crash in between leaves
 * duplicates that readers combine, never a gap; the next cycle compacts them again.
 */
public final class Compactor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Compactor.class);

    private final Backend backend;
    private final BlockWriter writer;
    private final CompactionPolicy policy;
    private final Overrides overrides;
    private final Clock clock;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "compactor");
        t.setDaemon(true);
        return t;
    });
    private final Counter blocksCompacted;
    private final Counter blocksDeleted;
    private final Counter tracesWritten;
    private final Timer jobDuration;

    /**
     * {@code overrides} holds each tenant's {@code compaction.block_retention}, looked up every cycle so that a
     * reloaded overrides file applies from the next cycle on.
     */
    public Compactor(Backend backend, BlockWriter writer, CompactionPolicy policy, Overrides overrides, MeterRegistry metrics,
                     Clock clock) {
        this.backend = backend;
        this.writer = writer;
        this.policy = policy;
        this.overrides = overrides;
        this.clock = clock;
        this.blocksCompacted = Counter.builder("vivace_compactor_blocks_compacted_total").register(metrics);
        this.blocksDeleted = Counter.builder("vivace_compactor_blocks_deleted_total").register(metrics);
        this.tracesWritten = Counter.builder("vivace_compactor_traces_written_total").register(metrics);
        this.jobDuration = Timer.builder("vivace_compactor_job_duration").register(metrics);
    }

    /** Runs a cycle every {@code period}. */
    public void start(Duration period) {
        long millis = Math.max(1, period.toMillis());
        loop.scheduleWithFixedDelay(this::cycleSafely, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * One pass over every tenant. A tenant whose work fails (the store is unreachable, an upload fails) is left as it
     * is, to be retried next cycle, and the others still go ahead; the first failure is thrown at the end.
     */
    public void runCycle() throws IOException {
        IOException failed = null;
        for (String tenant : backend.children("")) {
            try {
                compactTenant(tenant);
            } catch (IOException | RuntimeException e) {
                IOException failure = e instanceof IOException io ? io : new IOException("compacting tenant " + tenant + " failed", e);
                if (failed == null) {
                    failed = failure;
                } else {
                    failed.addSuppressed(failure);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    void compactTenant(String tenant) throws IOException {
        Instant now = clock.instant();
        TenantBlocks blocks = TenantBlocks.list(backend, tenant);
        List<BlockMeta> live = new ArrayList<>(blocks.live());
        List<CompactedBlock> compacted = new ArrayList<>();
        for (CompactedBlock block : blocks.compacted()) {
            if (owns(block.meta()) && block.compactedTime().isBefore(now.minus(policy.compactedGrace()))) {
                deleteBlock(block.meta());
            } else {
                compacted.add(block);
            }
        }
        Duration retention = retention(tenant);
        for (BlockMeta meta : blocks.live()) {
            if (owns(meta) && meta.endTime().isBefore(now.minus(retention))) {
                compacted.add(markCompacted(meta, now));
                live.remove(meta);
                log.info("block {} of tenant {} is past retention", meta.blockId(), tenant);
            }
        }
        for (CompactionJob job : BlockSelector.select(tenant, live, policy)) {
            if (policy.owns(job.key())) {
                BlockMeta output = compact(job);
                live.removeAll(job.inputs());
                live.add(output);
                job.inputs().forEach(input -> compacted.add(new CompactedBlock(input, now)));
            }
        }
        if (policy.owns(tenant)) {
            backend.write(BlockKeys.tenantIndex(tenant), new TenantIndex(clock.instant(), live, compacted).toGzippedJson());
        }
    }

    /** The tenant's {@code compaction.block_retention} override, else the compactor's {@code block_retention}. */
    Duration retention(String tenant) {
        Duration perTenant = overrides.forTenant(tenant).blockRetention();
        return perTenant.isZero() ? policy.retention() : perTenant;
    }

    /** Merges the job's blocks into one, then marks the inputs compacted. */
    BlockMeta compact(CompactionJob job) throws IOException {
        long start = System.nanoTime();
        List<BackendBlock> opened = new ArrayList<>();
        List<Stream<TraceRecord>> streams = new ArrayList<>();
        BlockMeta output;
        try {
            List<Iterator<TraceRecord>> inputs = new ArrayList<>();
            for (BlockMeta meta : job.inputs()) {
                BackendBlock block = BackendBlock.open(backend, meta);
                opened.add(block);
                Stream<TraceRecord> traces = block.traces();
                streams.add(traces);
                inputs.add(traces.iterator());
            }
            output = writer.write(backend, job.tenant(), job.outputId(), job.outputLevel(), new TraceMerger(inputs));
        } finally {
            streams.forEach(Stream::close);
            opened.forEach(BackendBlock::close);
        }
        Instant now = clock.instant();
        for (BlockMeta input : job.inputs()) {
            markCompacted(input, now);
        }
        blocksCompacted.increment(job.inputs().size());
        tracesWritten.increment(output.totalObjects());
        jobDuration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        log.info("compacted {} blocks of tenant {} into {} (level {}, {} traces, {} bytes)", job.inputs().size(), job.tenant(),
                output.blockId(), output.compactionLevel(), output.totalObjects(), output.size());
        return output;
    }

    private CompactedBlock markCompacted(BlockMeta meta, Instant now) throws IOException {
        CompactedBlock compacted = new CompactedBlock(meta, now);
        backend.write(BlockKeys.compactedMeta(meta.tenantId(), meta.blockId()), compacted.toJson());
        backend.delete(meta.metaKey());
        return compacted;
    }

    /** Deletes every object of the block, the compacted marker last so a half-deleted block is found again. */
    private void deleteBlock(BlockMeta meta) throws IOException {
        String marker = BlockKeys.compactedMeta(meta.tenantId(), meta.blockId());
        for (String key : backend.list(BlockKeys.prefix(meta.tenantId(), meta.blockId()))) {
            if (!key.equals(marker)) {
                backend.delete(key);
            }
        }
        backend.delete(marker);
        blocksDeleted.increment();
    }

    private boolean owns(BlockMeta meta) {
        return policy.owns(meta.blockId().toString());
    }

    private void cycleSafely() {
        try {
            runCycle();
        } catch (Exception e) {
            log.warn("compaction cycle failed, retrying next cycle: {}", e.toString());
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
