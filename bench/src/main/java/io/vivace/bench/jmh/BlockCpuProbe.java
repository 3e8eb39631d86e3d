package io.vivace.bench.jmh;

import static io.vivace.bench.jmh.ProbeSupport.intArg;
import static io.vivace.bench.jmh.ProbeSupport.median;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.bench.load.SyntheticTraces;
import io.vivace.common.block.BackendBlock;
import io.vivace.common.block.BlockConfig;
import io.vivace.common.block.BlockMeta;
import io.vivace.common.block.BlockWriter;
import io.vivace.common.block.TraceRecord;
import io.vivace.common.model.TraceId;
import io.vivace.common.storage.LocalBackend;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The CPU time (not wall time: the machine is shared) of writing a block and of finding traces by ID in it, on the
 * same synthetic traces as {@link BlockBenchmark}. Prints µs of CPU per span written, bytes per span stored and ms of
 * CPU per lookup (the first lookup of a freshly opened block separately: it loads the per-block caches). On a busy
 * machine the minimum is the steadier figure: other processes only ever add to a thread's CPU time.
 *
 * <p>Usage: {@code BlockCpuProbe [traces=12000] [writes=12] [lookups=2000] [pageRows=100] [pageBytes=65536] [pageMinEntries=1000]}
 */
public final class BlockCpuProbe {
    private static final long BASE_TIME_MS = 1_767_225_600_000L;
    private static final int SPANS_PER_TRACE = 20;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private BlockCpuProbe() {
    }

    public static void main(String[] args) throws IOException {
        int traces = intArg(args, "traces", 12_000);
        int writes = intArg(args, "writes", 12);
        int lookups = intArg(args, "lookups", 2_000);
        BlockConfig config = BlockConfig.DEFAULT
                .withPageRowCountLimit(intArg(args, "pageRows", BlockConfig.DEFAULT.pageRowCountLimit()))
                .withPageSizeBytes(intArg(args, "pageBytes", BlockConfig.DEFAULT.pageSizeBytes()))
                .withPageMinEntryCount(intArg(args, "pageMinEntries", BlockConfig.DEFAULT.pageMinEntryCount()));

        List<TraceRecord> sorted = syntheticTraces(traces);
        long spans = (long) traces * SPANS_PER_TRACE;
        Path dir = Files.createTempDirectory("vivace-block-probe");
        try {
            LocalBackend backend = new LocalBackend(dir.resolve("blocks"));
            BlockWriter writer = new BlockWriter(config, dir.resolve("scratch"));
            double[] writeMicrosPerSpan = new double[writes];
            BlockMeta meta = null;
            for (int i = 0; i < writes; i++) {
                if (meta != null) {
                    backend.delete(meta.metaKey());
                    backend.delete(meta.dataKey());
                }
                long before = THREADS.getCurrentThreadCpuTime();
                meta = writer.write(backend, "probe", UUID.randomUUID(), 0, sorted.iterator());
                writeMicrosPerSpan[i] = (THREADS.getCurrentThreadCpuTime() - before) / 1e3 / spans;
            }
            double[] measuredWrites = Arrays.copyOfRange(writeMicrosPerSpan, writes / 2, writes);
            System.out.printf(Locale.ROOT, "write: min %.2f, median %.2f us CPU/span (last %d of %d writes); %.1f bytes/span (%d bytes, %d row groups)%n",
                    Arrays.stream(measuredWrites).min().orElse(0), median(measuredWrites), measuredWrites.length, writes,
                    (double) meta.size() / spans, meta.size(), meta.totalRecords());

            long before = THREADS.getCurrentThreadCpuTime();
            BackendBlock block = BackendBlock.open(backend, meta);
            block.findTraceById(sorted.get(traces / 2).id()).orElseThrow();
            double coldMillis = (THREADS.getCurrentThreadCpuTime() - before) / 1e6;
            double[] lookupMillis = new double[lookups];
            int next = 0;
            for (int i = 0; i < lookups; i++) {
                TraceId id = sorted.get(next).id();
                next = (next + 7919) % sorted.size();
                long start = THREADS.getCurrentThreadCpuTime();
                block.findTraceById(id).orElseThrow();
                lookupMillis[i] = (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
            }
            block.close();
            double[] measured = Arrays.copyOfRange(lookupMillis, lookups / 2, lookups);
            System.out.printf(Locale.ROOT, "lookup: open + first lookup %.3f ms CPU; then min %.3f, median %.3f, mean %.3f ms CPU (last %d of %d lookups)%n",
                    coldMillis, Arrays.stream(measured).min().orElse(0), median(measured),
                    Arrays.stream(measured).average().orElse(0), measured.length, lookups);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    static List<TraceRecord> syntheticTraces(int traces) {
        SyntheticTraces generator = new SyntheticTraces(new SyntheticTraces.Config(7, SPANS_PER_TRACE, 8, BASE_TIME_MS));
        List<TraceRecord> sorted = new ArrayList<>(traces);
        for (int i = 0; i < traces; i++) {
            TracesData data = TracesData.newBuilder()
                    .addAllResourceSpans(SyntheticTraces.toRequest(generator.trace(i)).getResourceSpansList()).build();
            sorted.add(new TraceRecord(TraceId.fromBytes(generator.traceId(i)), data));
        }
        sorted.sort(Comparator.comparing(TraceRecord::id));
        return sorted;
    }
}
