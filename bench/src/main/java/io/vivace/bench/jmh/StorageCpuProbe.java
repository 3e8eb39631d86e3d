package io.vivace.bench.jmh;

import static io.vivace.bench.jmh.ProbeSupport.intArg;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vivace.common.block.BackendBlock;
import io.vivace.common.block.BlockConfig;
import io.vivace.common.block.BlockKeys;
import io.vivace.common.block.BlockMeta;
import io.vivace.common.block.BlockWriter;
import io.vivace.common.block.TraceRecord;
import io.vivace.common.config.VivaceConfig;
import io.vivace.common.limits.Overrides;
import io.vivace.common.limits.TenantLimits;
import io.vivace.common.model.TraceId;
import io.vivace.common.storage.Backend;
import io.vivace.common.storage.CachingBackend;
import io.vivace.common.storage.LocalBackend;
import io.vivace.common.storage.S3Backend;
import io.vivace.compactor.CompactionPolicy;
import io.vivace.compactor.Compactor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * Storage figures on the load tool's synthetic traces, in CPU time (the machine is shared; wall time is printed
 * only beside it):
 * <ol>
 *   <li>compaction: {@code inputs} level-0 blocks (traces dealt round-robin) merged by one compactor cycle on the
 *   local backend, CPU of the whole process (all threads, GC and JIT included) and of the compacting thread;
 *   MB/s of input block bytes and spans/s per core of CPU;</li>
 *   <li>bytes per span of the compacted block against the OTLP protobuf bytes of the same traces (one export
 *   request per trace), and the block's bytes per column;</li>
 *   <li>trace by ID through the S3 API (s3proxy in-process, with the backend's caches): p50/p99 per lookup with a
 *   warm cache, and without caches for comparison.</li>
 * </ol>
 *
 * <p>Usage: {@code StorageCpuProbe [traces=12000] [inputs=4] [rounds=3] [lookups=2000] [coldLookups=300] [zstdLevel=6] [pageRows=100] [pageBytes=65536] [pageMinEntries=1000]}
 */
public final class StorageCpuProbe {
    private static final int SPANS_PER_TRACE = 20;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private StorageCpuProbe() {
    }

    public static void main(String[] args) throws Exception {
        int traces = intArg(args, "traces", 12_000);
        int inputs = intArg(args, "inputs", 4);
        int rounds = intArg(args, "rounds", 3);
        int lookups = intArg(args, "lookups", 2_000);
        int coldLookups = intArg(args, "coldLookups", 300);
        int zstdLevel = intArg(args, "zstdLevel", BlockConfig.DEFAULT_COMPACTION_ZSTD_LEVEL);
        // Pages of the compacted block only (the server's are fixed at BlockConfig.DEFAULT's): to measure the trade.
        int pageRows = intArg(args, "pageRows", BlockConfig.DEFAULT.pageRowCountLimit());
        int pageBytes = intArg(args, "pageBytes", BlockConfig.DEFAULT.pageSizeBytes());
        int pageMinEntries = intArg(args, "pageMinEntries", BlockConfig.DEFAULT.pageMinEntryCount());
        List<TraceRecord> sorted = BlockCpuProbe.syntheticTraces(traces);
        long spans = (long) traces * SPANS_PER_TRACE;
        long otlpBytes = 0;
        for (TraceRecord t : sorted) {
            otlpBytes += ExportTraceServiceRequest.newBuilder().addAllResourceSpans(t.trace().getResourceSpansList()).build()
                    .getSerializedSize();
        }
        System.out.printf(Locale.ROOT, "%d traces, %d spans, OTLP protobuf %.1f bytes/span%n", traces, spans, (double) otlpBytes / spans);

        Path dir = Files.createTempDirectory("vivace-storage-probe");
        try {
            LocalBackend local = new LocalBackend(dir.resolve("blocks"));
            BlockWriter writer = new BlockWriter(BlockConfig.DEFAULT, dir.resolve("scratch"));
            // As the server: compaction output at the compactor's zstd level (compactor.compaction.zstd_level).
            BlockWriter compactionWriter = new BlockWriter(BlockConfig.DEFAULT.withZstdLevel(zstdLevel)
                    .withPageRowCountLimit(pageRows).withPageSizeBytes(pageBytes).withPageMinEntryCount(pageMinEntries), dir.resolve("scratch-compaction"));
            BlockMeta compacted = null;
            double[] processMbPerSec = new double[rounds];
            double[] processSpansPerSec = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                String tenant = "probe-" + r;
                long inputBytes = 0;
                for (int b = 0; b < inputs; b++) {
                    List<TraceRecord> part = new ArrayList<>();
                    for (int i = b; i < sorted.size(); i += inputs) {
                        part.add(sorted.get(i));
                    }
                    inputBytes += writer.write(local, tenant, UUID.randomUUID(), 0, part.iterator()).size();
                }
                Compactor compactor = new Compactor(local, compactionWriter, new CompactionPolicy(Duration.ofDays(36_500), 10_000_000,
                        1L << 40, inputs, Duration.ofDays(36_500), Duration.ofHours(1), 0, 1), Overrides.fixed(TenantLimits.defaults()),
                        new SimpleMeterRegistry(), Clock.systemUTC());
                long wall = System.nanoTime();
                long process = OS.getProcessCpuTime();
                long thread = THREADS.getCurrentThreadCpuTime();
                long allocated = THREADS.getCurrentThreadAllocatedBytes();
                compactor.runCycle();
                double threadSec = (THREADS.getCurrentThreadCpuTime() - thread) / 1e9;
                double allocatedPerSpan = (double) (THREADS.getCurrentThreadAllocatedBytes() - allocated) / spans;
                double processSec = (OS.getProcessCpuTime() - process) / 1e9;
                double wallSec = (System.nanoTime() - wall) / 1e9;
                compactor.close();
                compacted = onlyLiveBlock(local, tenant);
                processMbPerSec[r] = inputBytes / 1e6 / processSec;
                processSpansPerSec[r] = spans / processSec;
                System.out.printf(Locale.ROOT, "compaction round %d: %d blocks, %.1f MB in -> %.1f MB out; CPU process %.2f s, thread %.2f s "
                                + "(wall %.2f s): %.1f MB/s and %.0f spans/s per core of process CPU (thread: %.1f MB/s, %.0f spans/s; %.0f bytes allocated/span)%n",
                        r, inputs, inputBytes / 1e6, compacted.size() / 1e6, processSec, threadSec, wallSec, processMbPerSec[r],
                        processSpansPerSec[r], inputBytes / 1e6 / threadSec, spans / threadSec, allocatedPerSpan);
            }
            System.out.printf(Locale.ROOT, "compaction, best of %d: %.1f MB/s, %.0f spans/s per core (process CPU)%n", rounds,
                    Arrays.stream(processMbPerSec).max().orElse(0), Arrays.stream(processSpansPerSec).max().orElse(0));
            System.out.printf(Locale.ROOT, "compacted block: %.1f bytes/span (%.1f%% of the OTLP bytes)%n",
                    (double) compacted.size() / spans, 100.0 * compacted.size() / otlpBytes);
            printColumns(local, compacted, spans);
            lookups(local, compacted, sorted, lookups, coldLookups);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static BlockMeta onlyLiveBlock(Backend backend, String tenant) throws IOException {
        List<BlockMeta> live = new ArrayList<>();
        for (String key : backend.list(tenant + "/")) {
            if (key.endsWith("/" + BlockKeys.META)) {
                live.add(BlockMeta.fromJson(backend.read(key)));
            }
        }
        if (live.size() != 1) {
            throw new IllegalStateException("expected one live block after compaction, found " + live.size());
        }
        return live.get(0);
    }

    /** Compressed bytes per column, summed over row groups, largest first; the rest is footer and page indexes. */
    private static void printColumns(LocalBackend backend, BlockMeta meta, long spans) throws IOException {
        byte[] file = Files.readAllBytes(backend.pathOf(meta.dataKey()));
        int footerLength = meta.footerSize();
        ParquetMetadata footer = new ParquetMetadataConverter().fromParquetMetadata(
                Util.readFileMetaData(new ByteArrayInputStream(file, file.length - 8 - footerLength, footerLength)));
        Map<String, Long> byColumn = new TreeMap<>();
        long chunks = 0;
        for (BlockMetaData group : footer.getBlocks()) {
            for (ColumnChunkMetaData chunk : group.getColumns()) {
                byColumn.merge(chunk.getPath().toDotString(), chunk.getTotalSize(), Long::sum);
                chunks += chunk.getTotalSize();
            }
        }
        System.out.printf(Locale.ROOT, "column bytes per span (%d columns, compressed, %d row groups):%n", byColumn.size(), footer.getBlocks().size());
        byColumn.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(30).forEach(e ->
                System.out.printf(Locale.ROOT, "  %7.2f  %5.1f%%  %s%n", (double) e.getValue() / spans, 100.0 * e.getValue() / meta.size(), e.getKey()));
        long rest = chunks - byColumn.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(30)
                .mapToLong(Map.Entry::getValue).sum();
        System.out.printf(Locale.ROOT, "  %7.2f  %5.1f%%  (the other %d columns)%n", (double) rest / spans, 100.0 * rest / meta.size(),
                Math.max(0, byColumn.size() - 30));
        long overhead = meta.size() - chunks;
        System.out.printf(Locale.ROOT, "  %7.2f  %5.1f%%  (footer, column and offset indexes, magic)%n", (double) overhead / spans,
                100.0 * overhead / meta.size());
        ColumnBytes.print(ColumnBytes.of(file, footer), spans, 40);
    }

    /** Copies the block into an s3proxy bucket and looks traces up through {@link S3Backend}, cached and uncached. */
    private static void lookups(LocalBackend local, BlockMeta meta, List<TraceRecord> sorted, int lookups, int coldLookups) throws Exception {
        BlobStore store = BlobStores.create("transient", new Properties());
        S3Proxy proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "probe", "probe-secret").build();
        proxy.start();
        try {
            store.createContainer("probe");
            VivaceConfig.S3 config = new VivaceConfig.S3("probe", "", "127.0.0.1:" + proxy.getPort(), "us-east-1", "probe", "probe-secret",
                    null, true, true, null, null, null, null, null, null);
            try (S3Backend s3 = S3Backend.open(config)) {
                for (String key : local.list(meta.tenantId() + "/" + meta.blockId() + "/")) {
                    s3.write(key, local.read(key));
                }
                CachingBackend cached = new CachingBackend(s3, new VivaceConfig.Cache(null, null, null, null), new SimpleMeterRegistry());
                try (BackendBlock block = BackendBlock.open(cached, meta)) {
                    // Warm: the footer, indexes, bloom shards and the pages of the traces measured below, read once.
                    report("trace by ID via S3, cold cache (first lookups of these traces)", block, sorted, lookups);
                }
                try (BackendBlock block = BackendBlock.open(cached, meta)) { // a fresh block object: only the caches are warm
                    report("trace by ID via S3, warm cache", block, sorted, lookups);
                }
                CachingBackend uncached = new CachingBackend(s3, new VivaceConfig.Cache(0L, 0L, 0L, null), new SimpleMeterRegistry());
                try (BackendBlock block = BackendBlock.open(uncached, meta)) {
                    report("trace by ID via S3, no cache (block open, bloom and IDs kept in the block object)", block, sorted, coldLookups);
                }
            }
        } finally {
            proxy.stop();
        }
    }

    private static void report(String what, BackendBlock block, List<TraceRecord> sorted, int lookups) throws IOException {
        long[] cpu = new long[lookups];
        long[] wall = new long[lookups];
        int next = 0;
        for (int i = 0; i < lookups; i++) {
            TraceId id = sorted.get(next).id();
            next = (next + 7919) % sorted.size();
            long w = System.nanoTime();
            long c = THREADS.getCurrentThreadCpuTime();
            block.findTraceById(id).orElseThrow();
            cpu[i] = THREADS.getCurrentThreadCpuTime() - c;
            wall[i] = System.nanoTime() - w;
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        System.out.printf(Locale.ROOT, "%s, %d lookups: CPU p50 %.3f ms, p99 %.3f ms; wall p50 %.3f ms, p99 %.3f ms%n", what, lookups,
                cpu[lookups / 2] / 1e6, cpu[(int) (lookups * 0.99)] / 1e6, wall[lookups / 2] / 1e6, wall[(int) (lookups * 0.99)] / 1e6);
    }
}
